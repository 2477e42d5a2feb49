//! What the installation knows and the code does not carry: product, licensee, database
//! code. They are covered by the signature; the code carries only one-byte hints so a
//! mismatch can be named.

use crate::error::Error;
use crate::fingerprint::MachineFingerprint;

/// Domain separation for license signatures (see `docs/FORMAT.md`, "Signed message").
pub(crate) const DOMAIN_LICENSE: &[u8] = b"license-core/v1 license\0";

/// The longest product id, licensee or database code, in bytes after normalization.
pub const MAX_CONTEXT_FIELD: usize = 255;

/// The installation's side of the binding: what the host application knows about itself.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The product id, exactly as the vendor's catalog spells it (compared byte for byte).
    pub product: &'a str,
    /// The licensee as configured in the installation. Compared after normalization:
    /// leading and trailing white space removed, inner runs of white space as one space,
    /// ASCII letters case-insensitive.
    pub licensee: &'a str,
    /// The installation's database code, if it has one. Compared after removing white
    /// space and dashes, ASCII letters case-insensitive.
    pub database: Option<&'a str>,
    /// This machine's fingerprint, if the host collected one.
    pub machine: Option<&'a MachineFingerprint>,
}

impl<'a> Context<'a> {
    /// A context with product and licensee only.
    pub const fn new(product: &'a str, licensee: &'a str) -> Self {
        Context {
            product,
            licensee,
            database: None,
            machine: None,
        }
    }

    /// With a database code.
    #[must_use]
    pub const fn with_database(mut self, database: &'a str) -> Self {
        self.database = Some(database);
        self
    }

    /// With this machine's fingerprint.
    #[must_use]
    pub const fn with_machine(mut self, machine: &'a MachineFingerprint) -> Self {
        self.machine = Some(machine);
        self
    }

    /// A 16-byte id of this installation, derived from its normalized product id, licensee
    /// and database code (the machine is not included: a component that changes within
    /// the tolerance must not make the installation another one):
    /// `SHA-256("license-core/v2 installation\0" || for each field: len (u16 BE) || bytes)[..16]`.
    /// The host side binds its state file to it.
    pub fn installation_id(&self) -> [u8; 16] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(DOMAIN_INSTALLATION);
        for (field, value) in [
            (Field::Product, self.product),
            (Field::Licensee, self.licensee),
            (Field::Database, self.database.unwrap_or("")),
        ] {
            let mut len = 0u16;
            normalized(field, value, |_| len = len.saturating_add(1));
            h.update(len.to_be_bytes());
            normalized(field, value, |c| h.update([c]));
        }
        let full = h.finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(&full[..16]);
        id
    }
}

const DOMAIN_INSTALLATION: &[u8] = b"license-core/v2 installation\0";

/// Which context field a normalizer is for.
#[derive(Clone, Copy)]
pub(crate) enum Field {
    Product,
    Licensee,
    Database,
}

/// Feed the normalized bytes of `s` to `out`.
fn normalized(field: Field, s: &str, mut out: impl FnMut(u8)) {
    match field {
        Field::Product => s.bytes().for_each(out),
        Field::Licensee => {
            let mut first = true;
            for word in s.split_ascii_whitespace() {
                if !first {
                    out(b' ');
                }
                first = false;
                word.bytes().for_each(|c| out(c.to_ascii_lowercase()));
            }
        }
        Field::Database => s
            .bytes()
            .filter(|c| !(c.is_ascii_whitespace() || *c == b'-'))
            .for_each(|c| out(c.to_ascii_uppercase())),
    }
}

const FNV_OFFSET: u32 = 0x811C_9DC5;
const FNV_PRIME: u32 = 0x0100_0193;

const fn fold(h: u32) -> u8 {
    (h ^ (h >> 8) ^ (h >> 16) ^ (h >> 24)) as u8
}

/// FNV-1a (32-bit) of the normalized field, folded to one byte: the hint in the code.
pub(crate) fn hint(field: Field, s: &str) -> u8 {
    let mut h = FNV_OFFSET;
    normalized(field, s, |c| {
        h ^= u32::from(c);
        h = h.wrapping_mul(FNV_PRIME);
    });
    fold(h)
}

/// A buffer that holds the whole signed message, on the stack, and the hints of the
/// installation's context, computed in the same pass.
pub(crate) struct Message {
    buf: [u8; MESSAGE_CAPACITY],
    len: usize,
    /// Hints of product, licensee and database code (of the empty string if unbound).
    pub(crate) hints: [u8; 3],
    /// The license is bound to a database but the context has no database code.
    pub(crate) database_missing: bool,
}

pub(crate) const MESSAGE_CAPACITY: usize =
    DOMAIN_LICENSE.len() + 3 * (1 + MAX_CONTEXT_FIELD) + crate::format::MAX_PAYLOAD;

impl Message {
    /// domain || field(product) || field(licensee) || field(database or empty) || payload,
    /// each field as one length byte and the normalized bytes. A database-bound license
    /// without a database code in `ctx` gets an empty field and `database_missing`.
    pub(crate) fn build(ctx: &Context<'_>, database_bound: bool, payload: &[u8]) -> Result<Message, Error> {
        let mut m = Message {
            buf: [0; MESSAGE_CAPACITY],
            len: 0,
            hints: [0; 3],
            database_missing: database_bound && ctx.database.is_none(),
        };
        m.push(DOMAIN_LICENSE);
        m.hints[0] = m.field(Field::Product, ctx.product)?;
        m.hints[1] = m.field(Field::Licensee, ctx.licensee)?;
        let db = if database_bound {
            ctx.database.unwrap_or("")
        } else {
            ""
        };
        m.hints[2] = m.field(Field::Database, db)?;
        m.push(payload);
        Ok(m)
    }

    fn push(&mut self, bytes: &[u8]) {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// Append one field; returns its hint.
    fn field(&mut self, field: Field, s: &str) -> Result<u8, Error> {
        let at = self.len;
        self.len += 1;
        let mut n = 0usize;
        let mut h = FNV_OFFSET;
        normalized(field, s, |c| {
            if n < MAX_CONTEXT_FIELD {
                self.buf[at + 1 + n] = c;
            }
            n += 1;
            h ^= u32::from(c);
            h = h.wrapping_mul(FNV_PRIME);
        });
        if n > MAX_CONTEXT_FIELD {
            return Err(Error::ContextTooLong {
                max: MAX_CONTEXT_FIELD,
            });
        }
        self.buf[at] = n as u8;
        self.len += n;
        Ok(fold(h))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    #[test]
    fn normalization() {
        assert_eq!(
            hint(Field::Licensee, "  ACME   Corp "),
            hint(Field::Licensee, "acme corp")
        );
        assert_eq!(
            hint(Field::Database, "ab12-cd34 "),
            hint(Field::Database, "AB12CD34")
        );
        assert_ne!(hint(Field::Product, "Erp"), hint(Field::Product, "erp"));
        let ctx = Context::new("erp", " ACME  Corp");
        let m = Message::build(&ctx, false, &[9, 9]).unwrap();
        let mut expected = DOMAIN_LICENSE.to_vec();
        expected.extend_from_slice(b"\x03erp\x09acme corp\x00\x09\x09");
        assert_eq!(m.as_bytes(), &expected[..]);
    }

    #[test]
    fn installation_ids_follow_the_normalized_fields() {
        let a = Context::new("erp", "ACME Corp").with_database("DB-7F3A");
        let b = Context::new("erp", "  acme   corp ").with_database("db7f3a");
        assert_eq!(a.installation_id(), b.installation_id());
        assert_ne!(
            a.installation_id(),
            Context::new("erp", "ACME Corp").installation_id()
        );
        assert_ne!(
            a.installation_id(),
            Context::new("erp", "Other")
                .with_database("DB-7F3A")
                .installation_id()
        );
        // Field boundaries are bound in: ("ab", "c") is not ("a", "bc").
        assert_ne!(
            Context::new("ab", "c").installation_id(),
            Context::new("a", "bc").installation_id()
        );
    }

    #[test]
    fn limits() {
        let long = "x".repeat(256);
        let ctx = Context::new("p", &long);
        assert!(matches!(
            Message::build(&ctx, false, &[]),
            Err(Error::ContextTooLong { .. })
        ));
        let ctx = Context::new("p", "l");
        assert!(Message::build(&ctx, true, &[]).unwrap().database_missing);
        let with_db = ctx.with_database("ab-12");
        let m = Message::build(&with_db, true, &[]).unwrap();
        assert!(!m.database_missing);
        assert_eq!(
            m.hints,
            [
                hint(Field::Product, "p"),
                hint(Field::Licensee, "l"),
                hint(Field::Database, "AB12")
            ]
        );
        let max = "x".repeat(255);
        let ctx = Context::new(&max, &max).with_database(&max);
        assert!(Message::build(&ctx, true, &[0; crate::format::MAX_PAYLOAD]).is_ok());
    }
}
