//! The machine binding a code carries: one digest per bound component and how many may
//! have changed, its wire form and its printable text. Below `wire` (which encodes it) and
//! the host-side fingerprint (which is matched against it).

use core::fmt;

use crate::component::{COMPONENTS, Component, ComponentDigest, ComponentSet, format_2_digest_bits};
use crate::error::Error;
use crate::format::Format;
use crate::text::{self, TextKind};

/// What a code carries about the machine it is bound to: one digest per bound
/// component and how many of them may have changed (or, in format 2, be unreadable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(into = "BindingRepr", try_from = "BindingRepr"))]
pub struct MachineBinding {
    pub(crate) components: ComponentSet,
    pub(crate) tolerance: u8,
    /// 8 (format 1), 16 or 24 (format 2).
    pub(crate) bits: u8,
    /// Indexed by [`Component::index`]: the first `bits` bits of each bound digest.
    pub(crate) digests: [u32; COMPONENTS],
}

/// The serialized form: `digests` indexed by component (4 entries for a format-1
/// binding, as the v1 golden vectors record it, 6 for format 2), `digest_bits` omitted
/// for format 1.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct BindingRepr {
    components: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    digest_bits: Option<u8>,
    digests: alloc::vec::Vec<u32>,
    tolerance: u8,
}

#[cfg(feature = "serde")]
impl From<MachineBinding> for BindingRepr {
    fn from(b: MachineBinding) -> Self {
        let n = if b.bits == 8 { 4 } else { COMPONENTS };
        BindingRepr {
            components: b.components.0,
            digest_bits: (b.bits != 8).then_some(b.bits),
            digests: b.digests[..n].to_vec(),
            tolerance: b.tolerance,
        }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<BindingRepr> for MachineBinding {
    type Error = &'static str;
    fn try_from(r: BindingRepr) -> Result<Self, Self::Error> {
        let components = ComponentSet::from_bits(r.components).ok_or("unknown component bits")?;
        let bits = r.digest_bits.unwrap_or(8);
        if r.digests.len() > COMPONENTS {
            return Err("too many digests");
        }
        let mut d = [0u32; COMPONENTS];
        d[..r.digests.len()].copy_from_slice(&r.digests);
        let b =
            MachineBinding::build(components, d, r.tolerance, bits).map_err(|_| "invalid machine binding")?;
        if b.bits != bits {
            return Err("digest width does not match the binding's shape");
        }
        Ok(b)
    }
}

impl MachineBinding {
    /// The highest tolerance a code can carry.
    pub const MAX_TOLERANCE: u8 = 3;
    /// The longest wire form: header and six 24-bit digests.
    pub const MAX_WIRE_LEN: usize = 1 + COMPONENTS * 3;

    /// The highest tolerance for a binding of `components` components that keeps a
    /// majority of them required to match: `(components - 1) / 2`, at most
    /// [`MAX_TOLERANCE`](Self::MAX_TOLERANCE): with 3 or 4 components 1 may change, with
    /// 2 none. Every tool that makes a binding (the fingerprint's printed form, an order
    /// with or without its own tolerance) caps the tolerance asked for at this value and
    /// says so.
    pub const fn majority_tolerance(components: u8) -> u8 {
        let cap = components.saturating_sub(1) / 2;
        if cap > Self::MAX_TOLERANCE {
            Self::MAX_TOLERANCE
        } else {
            cap
        }
    }

    /// A format-2 binding to `digests` (indexed by [`Component::index`]) for the
    /// `components` listed, accepting up to `tolerance` components changed or unreadable.
    /// The tolerance is at most `(bound - 1) / 2`, so a majority must match. The digests
    /// are cut to the width the shape needs ([`format_2_digest_bits`]).
    pub fn new(
        components: ComponentSet,
        digests: [ComponentDigest; COMPONENTS],
        tolerance: u8,
    ) -> Result<Self, Error> {
        let bits = format_2_digest_bits(components, tolerance);
        Self::build(components, digests.map(|d| d.prefix(bits)), tolerance, bits)
    }

    /// A format-1 binding (one-byte digests, the first four components only), as codes of
    /// format 1 carry it: for re-issuing a license bound by a format-1 fingerprint.
    pub fn new_v1(components: ComponentSet, digests: [u8; 4], tolerance: u8) -> Result<Self, Error> {
        let mut d = [0u32; COMPONENTS];
        for (slot, v) in d.iter_mut().zip(digests) {
            *slot = u32::from(v);
        }
        Self::build(components, d, tolerance, 8)
    }

    /// Validate and keep only the bound digests. `digests` are already cut to `bits`.
    fn build(
        components: ComponentSet,
        digests: [u32; COMPONENTS],
        tolerance: u8,
        bits: u8,
    ) -> Result<Self, Error> {
        if !components.has_strong() {
            return Err(Error::InvalidLicense(
                "a machine binding needs a strong component (OS install id, hardware UUID, network adapter, root file system or board serial): the CPU alone identifies no machine",
            ));
        }
        if bits == 8 {
            if components.0 & !ComponentSet::FORMAT_1.0 != 0 {
                return Err(Error::InvalidLicense(
                    "a format-1 machine binding has only the OS install id, hardware UUID, CPU and network adapters",
                ));
            }
            if tolerance > Self::MAX_TOLERANCE || tolerance >= components.len() {
                return Err(Error::InvalidLicense(
                    "machine tolerance must be below the number of bound components (and at most 3)",
                ));
            }
        } else {
            if bits != format_2_digest_bits(components, tolerance) {
                return Err(Error::InvalidLicense(
                    "digest width does not match the binding's shape",
                ));
            }
            if tolerance > (components.len() - 1) / 2 {
                return Err(Error::InvalidLicense(
                    "machine tolerance must leave a majority of the bound components to match: at most (bound - 1) / 2",
                ));
            }
        }
        let mask = if bits >= 32 { u32::MAX } else { (1u32 << bits) - 1 };
        let mut d = [0u32; COMPONENTS];
        for c in components.iter() {
            let i = usize::from(c.index());
            if digests[i] & !mask != 0 {
                return Err(Error::InvalidLicense(
                    "a digest is wider than the binding's digest width",
                ));
            }
            d[i] = digests[i];
        }
        Ok(MachineBinding {
            components,
            tolerance,
            bits,
            digests: d,
        })
    }

    /// The same digests with another tolerance (the vendor's choice when issuing). A
    /// format-2 binding can narrow its digests (24 to 16 bits) but not widen them: a
    /// tolerance that needs wider digests than the fingerprint carries is refused.
    pub fn with_tolerance(&self, tolerance: u8) -> Result<MachineBinding, Error> {
        if self.bits == 8 {
            return Self::build(self.components, self.digests, tolerance, 8);
        }
        let bits = format_2_digest_bits(self.components, tolerance);
        if bits > self.bits {
            return Err(Error::InvalidLicense(
                "this tolerance needs 24-bit digests and the fingerprint carries 16: ask the customer for the fingerprint printed with this tolerance",
            ));
        }
        let shift = u32::from(self.bits - bits);
        Self::build(self.components, self.digests.map(|d| d >> shift), tolerance, bits)
    }

    /// The code format this binding belongs to: format 1 for one-byte digests.
    pub const fn format(&self) -> Format {
        if self.bits == 8 { Format::V1 } else { Format::V2 }
    }

    /// Bits per digest: 8 (format 1), 16 or 24 (format 2).
    pub const fn digest_bits(&self) -> u8 {
        self.bits
    }

    /// The bound components.
    pub const fn components(&self) -> ComponentSet {
        self.components
    }

    /// How many bound components may differ (or, in format 2, be unreadable).
    pub const fn tolerance(&self) -> u8 {
        self.tolerance
    }

    /// The digest of `c` as carried (the first [`digest_bits`](Self::digest_bits) bits), if bound.
    pub const fn digest(&self, c: Component) -> Option<u32> {
        if self.components.contains(c) {
            Some(self.digests[c.index() as usize])
        } else {
            None
        }
    }

    /// How many components must positively match. Format 2: a majority of the bound
    /// ones (`bound / 2 + 1`); format 1: at least half (`ceil(bound / 2)`).
    pub const fn required_matches(&self) -> u8 {
        if self.bits == 8 {
            self.components.len().div_ceil(2)
        } else {
            self.components.len() / 2 + 1
        }
    }

    /// The header byte of the wire form. Format 1: component bits 0-3, tolerance bits
    /// 4-5; format 2: component bits 0-5, tolerance bits 6-7.
    const fn header(&self) -> u8 {
        if self.bits == 8 {
            self.components.0 | (self.tolerance << 4)
        } else {
            self.components.0 | (self.tolerance << 6)
        }
    }

    /// The wire form: header, then each bound digest in component order, big-endian in
    /// `digest_bits / 8` bytes.
    pub(crate) fn write_wire(&self, mut out: impl FnMut(u8)) {
        out(self.header());
        let bytes = usize::from(self.bits / 8);
        for c in self.components.iter() {
            let d = self.digests[usize::from(c.index())];
            for k in (0..bytes).rev() {
                out((d >> (8 * k)) as u8);
            }
        }
    }

    /// Read the wire form of `format` from `input`; `None` if cut short, with reserved
    /// bits set, or invalid.
    pub(crate) fn read_wire(format: Format, input: &mut impl Iterator<Item = u8>) -> Option<MachineBinding> {
        let header = input.next()?;
        let (components, tolerance) = match format {
            Format::V1 => {
                if header & 0b1100_0000 != 0 {
                    return None;
                }
                (ComponentSet(header & 0b1111), (header >> 4) & 0b11)
            }
            Format::V2 => (ComponentSet(header & 0b11_1111), header >> 6),
        };
        let bits = match format {
            Format::V1 => 8,
            Format::V2 => format_2_digest_bits(components, tolerance),
        };
        let mut d = [0u32; COMPONENTS];
        for c in components.iter() {
            let mut v = 0u32;
            for _ in 0..bits / 8 {
                v = (v << 8) | u32::from(input.next()?);
            }
            d[usize::from(c.index())] = v;
        }
        MachineBinding::build(components, d, tolerance, bits).ok()
    }

    /// Bytes of the printable fingerprint: the wire form.
    fn to_bytes(self) -> ([u8; Self::MAX_WIRE_LEN], usize) {
        let mut out = [0u8; Self::MAX_WIRE_LEN];
        let mut n = 0;
        self.write_wire(|b| {
            out[n] = b;
            n += 1;
        });
        (out, n)
    }

    fn text_kind(&self) -> TextKind {
        match self.format() {
            Format::V1 => TextKind::Fingerprint,
            Format::V2 => TextKind::FingerprintV2,
        }
    }

    /// Parse the printable form a customer sends to the vendor (see
    /// [`MachineFingerprint::binding`](crate::MachineFingerprint::binding) and the `Display` impl), with the same typo
    /// detection as a license code. Both the format-2 and the format-1 form are read.
    pub fn parse(text: &str) -> Result<MachineBinding, Error> {
        let mut buf = [0u8; Self::MAX_WIRE_LEN];
        let (format, n) = match text::decode(TextKind::FingerprintV2, text, &mut buf) {
            Ok(n) => (Format::V2, n),
            Err(e) => match text::decode(TextKind::Fingerprint, text, &mut buf) {
                Ok(n) => (Format::V1, n),
                Err(_) => return Err(e),
            },
        };
        if n == 0 {
            return Err(Error::Malformed("empty machine fingerprint"));
        }
        let mut input = buf[..n].iter().copied();
        let b = MachineBinding::read_wire(format, &mut input)
            .ok_or(Error::Malformed("invalid machine fingerprint"))?;
        if input.next().is_some() {
            return Err(Error::Malformed("trailing bytes after the machine fingerprint"));
        }
        Ok(b)
    }
}

/// The printable fingerprint: Crockford base32 in dashed groups with a typo check,
/// e.g. `1G5ZK-QH04M-TRF`.
impl fmt::Display for MachineBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (bytes, n) = self.to_bytes();
        text::write(self.text_kind(), &bytes[..n], f)
    }
}
