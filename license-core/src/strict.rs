//! Strict Ed25519 verification: the rules of `docs/FORMAT.md`, "Strict Ed25519", which are
//! those of ed25519-dalek's `VerifyingKey::verify_strict`, checked with less work.
//!
//! `verify_strict` decompresses `R` (a square root: one field exponentiation) to refuse an
//! `R` of small order, then compares the encoding of `[s]B - [k]A` with `R`'s bytes
//! (encoding needs an inversion: another exponentiation). Here the computed point `P` is
//! tested instead of `R`: a signature can only pass when `R` is exactly `P`'s encoding, and
//! then `R` decodes to `P` (decoding an encoding gives back the point), so "`R` decodes,
//! is not of small order, and encodes `P`" is the same condition as "`P` is not of small
//! order and encodes to `R`". The first exponentiation is saved; nothing else changes:
//! `s` canonical, `A` not of small order, `k = SHA-512(R || A || message)` with `A` as the
//! key's 32 bytes, the cofactorless equation compared as encodings.
//!
//! Several signatures (a reseller's chain and its code) are encoded together
//! ([`finish`]): one inversion for all of them (Montgomery's trick, curve25519-dalek's
//! `compress_batch`), which gives each point the very bytes `compress` gives it.
//!
//! `tests` compare every accept/refuse decision with `verify_strict` itself, on valid
//! signatures and on the edge cases (small-order and mixed-order keys and `R`s, every
//! non-canonical encoding of them, `s + L`, altered bytes).

use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use ed25519_dalek::Signature;
use sha2::{Digest, Sha512};

use crate::key::PublicKey;

#[cfg(any(feature = "fast", test))]
/// `y` (its first 31 bytes) of the points of order 8, whose encodings end in `0x05` / `0x85`
/// and `0x7a` / `0xfa` (the sign of `x`).
const ORDER_8_Y: [[u8; 31]; 2] = [
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5,
        0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a,
        0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03,
    ],
];

/// Whether `r` is one of the eight canonical encodings of the points of small order (the
/// torsion subgroup): the identity (`y = 1`), the point of order 2 (`y = -1`), the two of
/// order 4 (`y = 0`, either sign) and the four of order 8.
#[cfg(any(feature = "fast", test))]
fn is_small_order_encoding(r: &[u8; 32]) -> bool {
    let (y, last) = (&r[..31], r[31]);
    let top = last & 0x7f;
    if y[1..].iter().all(|&b| b == 0) {
        return (y[0] == 1 && last == 0) || (y[0] == 0 && top == 0);
    }
    if y[0] == 0xec && y[1..].iter().all(|&b| b == 0xff) {
        return last == 0x7f;
    }
    (y == ORDER_8_Y[0] && top == 0x05) || (y == ORDER_8_Y[1] && top == 0x7a)
}

/// A signature whose equation is computed, waiting for the comparison with its `R`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pending {
    /// `[s]B - [k]A`.
    computed: EdwardsPoint,
    /// The signature's `R`, as its 32 bytes.
    r: [u8; 32],
}

/// Everything of the strict check but the comparison with `R`: `None` when the signature
/// is already refused (`s` not canonical, or the key of small order).
pub(crate) fn prepare(key: &PublicKey, message: &[u8], signature: &Signature) -> Option<Pending> {
    let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(*signature.s_bytes()))?;
    // Whether the key is of small order was found once, when it was made.
    if key.is_weak() {
        return None;
    }
    let a = key.verifying_key().to_edwards();
    let r = *signature.r_bytes();
    let mut h = Sha512::new();
    h.update(r);
    h.update(key.verifying_key().as_bytes());
    h.update(message);
    let k = Scalar::from_hash(h);
    let computed = EdwardsPoint::vartime_double_scalar_mul_basepoint(&k, &-a, &s);
    Some(Pending { computed, r })
}

/// Whether each prepared signature is valid: its point is not of small order and encodes
/// to its `R`. `None` entries (refused already, or unused slots) are `false`. One field
/// inversion for all `N`.
pub(crate) fn finish<const N: usize>(pending: &[Option<Pending>; N]) -> [bool; N] {
    let points: [EdwardsPoint; N] =
        core::array::from_fn(|i| pending[i].map_or(EdwardsPoint::identity(), |p| p.computed));
    let encoded = EdwardsPoint::compress_batch(&points);
    core::array::from_fn(|i| pending[i].is_some_and(|p| p.holds(&encoded[i])))
}

impl Pending {
    /// Whether the signature is valid, given the encoding of its computed point.
    fn holds(&self, encoded: &CompressedEdwardsY) -> bool {
        encoded.as_bytes() == &self.r && !self.small_order()
    }

    /// Whether the computed point is of small order, asked once its encoding is `R`.
    /// Then `R` is the point's (canonical) encoding, so the point is of small order exactly
    /// when `R` is one of the eight canonical encodings of the small-order points. With
    /// `fast`, that comparison of bytes (quicker than three doublings and a projective
    /// comparison); without, the point's own test (less code for small verifiers).
    fn small_order(&self) -> bool {
        #[cfg(feature = "fast")]
        return is_small_order_encoding(&self.r);
        #[cfg(not(feature = "fast"))]
        return self.computed.is_small_order();
    }
}

/// One signature, checked strictly (a plain inversion: no batch code in a verifier that
/// checks only plain codes).
pub(crate) fn verify(key: &PublicKey, message: &[u8], signature: &Signature) -> bool {
    prepare(key, message, signature).is_some_and(|p| p.holds(&p.computed.compress()))
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
    use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
    use proptest::prelude::*;

    /// The order of the prime-order subgroup, little-endian.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];

    /// Exactly the eight encodings of `EIGHT_TORSION` are recognized: each of them, and
    /// none of their one-bit changes (unless that is another of them) or of random bytes.
    #[test]
    fn the_small_order_encodings_are_those_of_the_eight_torsion_points() {
        let torsion: Vec<[u8; 32]> = EIGHT_TORSION.iter().map(|t| t.compress().to_bytes()).collect();
        for e in &torsion {
            assert!(is_small_order_encoding(e), "{e:02x?}");
            for bit in 0..256 {
                let mut m = *e;
                m[bit / 8] ^= 1 << (bit % 8);
                assert_eq!(is_small_order_encoding(&m), torsion.contains(&m), "{m:02x?}");
            }
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..10_000 {
            let mut m = [0u8; 32];
            for b in &mut m {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
            assert!(!is_small_order_encoding(&m));
        }
    }

    /// Both verifiers decide alike; returns the decision.
    fn same(vk: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
        let dalek = vk.verify_strict(message, signature).is_ok();
        let key = &PublicKey::from(*vk);
        assert_eq!(
            verify(key, message, signature),
            dalek,
            "key {:02x?}, signature {:02x?}",
            vk.as_bytes(),
            signature.to_bytes()
        );
        // And in a batch, in every slot, next to a valid and an invalid signature.
        let good = SigningKey::from_bytes(&[9; 32]);
        let good_sig = good.sign(b"other");
        let vk = PublicKey::from(good.verifying_key());
        let batch = [
            prepare(&vk, b"other", &good_sig),
            prepare(key, message, signature),
            prepare(&vk, b"altered", &good_sig),
            None,
        ];
        assert_eq!(finish(&batch), [true, dalek, false, false]);
        dalek
    }

    fn add_le(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
        let mut out = [0u8; 32];
        let mut carry = 0u16;
        for i in 0..32 {
            let v = u16::from(a[i]) + u16::from(b[i]) + carry;
            out[i] = v as u8;
            carry = v >> 8;
        }
        out
    }

    /// Every 32-byte string that decodes to a point of small order: the canonical
    /// encodings of the eight torsion points, with the sign bit flipped, and with `y`
    /// written as `y + p` where that still fits in 255 bits.
    fn small_order_encodings() -> Vec<[u8; 32]> {
        let mut out = Vec::new();
        for t in EIGHT_TORSION {
            let c = t.compress().to_bytes();
            for sign in [0u8, 0x80] {
                let mut e = c;
                e[31] ^= sign;
                out.push(e);
                // y + p, p = 2^255 - 19: only for y < 19.
                let mut y = e;
                y[31] &= 0x7f;
                if y[1..].iter().all(|&b| b == 0) && y[0] < 19 {
                    let mut plus = [0xffu8; 32];
                    plus[0] = 0xed + y[0];
                    plus[31] = 0x7f | (e[31] & 0x80);
                    out.push(plus);
                }
            }
        }
        for e in &out {
            if let Some(p) = CompressedEdwardsY(*e).decompress() {
                assert!(p.is_small_order());
            }
        }
        out
    }

    #[test]
    fn valid_signatures_verify_and_altered_ones_do_not() {
        for seed in 0u8..16 {
            let key = SigningKey::from_bytes(&[seed; 32]);
            let vk = key.verifying_key();
            let message = [seed; 100];
            let sig = key.sign(&message);
            assert!(same(&vk, &message, &sig));
            assert!(!same(&vk, &message[..99], &sig));
            let bytes = sig.to_bytes();
            for i in 0..64 {
                let mut b = bytes;
                b[i] ^= 1 << (i % 8);
                same(&vk, &message, &Signature::from_bytes(&b));
            }
            // s + L: the same equation, but not canonical.
            let mut b = bytes;
            let s: [u8; 32] = b[32..].try_into().unwrap();
            b[32..].copy_from_slice(&add_le(&s, &L));
            assert!(!same(&vk, &message, &Signature::from_bytes(&b)));
        }
    }

    #[test]
    fn small_order_r_and_keys_are_refused_as_by_verify_strict() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let vk = key.verifying_key();
        let sig = key.sign(b"message").to_bytes();
        let small = small_order_encodings();
        assert!(small.len() >= 16);
        let mut weak_keys = 0;
        for e in &small {
            // An R of small order, with any s (0 and the real one).
            for s in [[0u8; 32], sig[32..].try_into().unwrap()] {
                let mut b = [0u8; 64];
                b[..32].copy_from_slice(e);
                b[32..].copy_from_slice(&s);
                assert!(!same(&vk, b"message", &Signature::from_bytes(&b)));
            }
            // A key of small order: `s = 0` and `R = -[k]A` would satisfy the equation.
            if let Ok(weak) = VerifyingKey::from_bytes(e) {
                weak_keys += 1;
                for r in &small {
                    let mut b = [0u8; 64];
                    b[..32].copy_from_slice(r);
                    assert!(!same(&weak, b"message", &Signature::from_bytes(&b)));
                }
                assert!(!same(&weak, b"message", &Signature::from_bytes(&sig)));
            }
        }
        assert!(weak_keys >= 8, "{weak_keys}");
    }

    /// An `R` of small order for which the equation does hold (`[s]B - [k]A` is that
    /// torsion point): refused by both, for each of the eight (the keys carry a torsion
    /// component, so that every small-order point can be the result).
    #[test]
    fn a_small_order_r_satisfying_the_equation_is_refused() {
        for target in EIGHT_TORSION {
            let r = target.compress();
            let found = (1u8..=255).any(|seed| {
                let a = Scalar::from_bytes_mod_order([seed; 32]);
                EIGHT_TORSION.iter().any(|t| {
                    let vk = VerifyingKey::from(ED25519_BASEPOINT_POINT * a + t);
                    let mut h = Sha512::new();
                    h.update(r.as_bytes());
                    h.update(vk.as_bytes());
                    h.update(b"torsion");
                    let k = Scalar::from_hash(h);
                    // [k a]B - [k](aB + T) = -[k]T: the target for the right T.
                    if -(t * k) != target {
                        return false;
                    }
                    assert!(!vk.is_weak());
                    let sig = Signature::from_components(r.to_bytes(), (k * a).to_bytes());
                    assert!(!same(&vk, b"torsion", &sig));
                    // The same equation holds: only the small order of R refuses it.
                    let computed =
                        EdwardsPoint::vartime_double_scalar_mul_basepoint(&k, &-vk.to_edwards(), &(k * a));
                    assert_eq!(computed.compress(), r);
                    assert!(computed.is_small_order() && is_small_order_encoding(r.as_bytes()));
                    true
                })
            });
            assert!(found, "no key found for {:02x?}", r.as_bytes());
        }
    }

    /// Keys and `R`s with a torsion component (mixed order) pass exactly when the
    /// cofactorless equation holds, as in `verify_strict`.
    #[test]
    fn mixed_order_keys_and_r_decide_as_verify_strict() {
        let (mut accepted, mut total) = (0, 0);
        for (i, t) in EIGHT_TORSION.iter().enumerate().skip(1) {
            for seed in 0u8..24 {
                let a = Scalar::from_bytes_mod_order([seed.wrapping_add(40); 32]);
                let public = ED25519_BASEPOINT_POINT * a + t;
                let vk = VerifyingKey::from(public);
                let message = [seed, i as u8];
                // Sign by hand with the mixed-order key: R = [r]B (+ a torsion point).
                for r_torsion in [EdwardsPoint::identity(), *t] {
                    let r = Scalar::from_bytes_mod_order([seed.wrapping_mul(7).wrapping_add(1); 32]);
                    let big_r = (ED25519_BASEPOINT_POINT * r + r_torsion).compress();
                    let mut h = Sha512::new();
                    h.update(big_r.as_bytes());
                    h.update(vk.as_bytes());
                    h.update(message);
                    let k = Scalar::from_hash(h);
                    let s = r + k * a;
                    let sig = Signature::from_components(big_r.to_bytes(), s.to_bytes());
                    total += 1;
                    if same(&vk, &message, &sig) {
                        accepted += 1;
                    }
                }
            }
        }
        // Some pass (when [k]T happens to cancel the torsion of R), most do not: both
        // branches of the decision were compared.
        assert!(accepted > 0 && accepted < total, "{accepted} of {total}");
    }

    /// Non-canonical encodings of `R` (y + p for the few y < 19 on the curve) and of the
    /// key: a non-canonical `R` never equals an encoding, so it is refused.
    #[test]
    fn non_canonical_r_is_refused() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let vk = key.verifying_key();
        for y in 0u8..19 {
            for sign in [0u8, 0x80] {
                let mut r = [0xffu8; 32];
                r[0] = 0xed + y;
                r[31] = 0x7f | sign;
                let mut b = key.sign(b"m").to_bytes();
                b[..32].copy_from_slice(&r);
                assert!(!same(&vk, b"m", &Signature::from_bytes(&b)));
            }
        }
    }

    proptest! {
        #[test]
        fn random_signatures_decide_as_verify_strict(
            seed in any::<[u8; 32]>(),
            message in proptest::collection::vec(any::<u8>(), 0..300),
            noise in any::<[u8; 64]>(),
            mode in 0u8..4,
        ) {
            let key = SigningKey::from_bytes(&seed);
            let vk = key.verifying_key();
            let mut sig = key.sign(&message).to_bytes();
            match mode {
                0 => {}
                1 => sig[usize::from(noise[0]) % 64] ^= noise[1] | 1,
                2 => sig = noise,
                _ => sig[..32].copy_from_slice(&noise[..32]),
            }
            let ok = same(&vk, &message, &Signature::from_bytes(&sig));
            prop_assert_eq!(ok, mode == 0);
        }
    }
}
