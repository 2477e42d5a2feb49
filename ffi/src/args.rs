//! Arguments from C: pointers checked for NULL, text checked for UTF-8, and
//! out-parameters that are written only once a call has succeeded.

use std::ffi::c_char;
use std::ptr::NonNull;

use crate::result::{Failure, lic_result};

/// Borrow `len` bytes at `ptr`. NULL is refused even for `len == 0`.
///
/// # Safety
/// A non-NULL `ptr` points to `len` readable bytes that stay unchanged for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, arg: &'static str) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::null(arg));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid(format!("the length of `{arg}` is too large")));
    }
    // SAFETY: `ptr` is non-NULL and, by the caller's contract, points to `len` readable,
    // unchanging bytes; `len <= isize::MAX` was checked.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrow `len` bytes at `ptr` as UTF-8 text (not NUL-terminated; a NUL is a character
/// like any other). Text that is not UTF-8 is refused with `InvalidUtf8`.
///
/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const c_char, len: usize, arg: &'static str) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract; `c_char` and `u8` have the same size and alignment.
    let b = unsafe { bytes(ptr.cast::<u8>(), len, arg) }?;
    std::str::from_utf8(b).map_err(|e| {
        Failure::with_message(
            lic_result::InvalidUtf8,
            format!("`{arg}` is not valid UTF-8 (at byte {})", e.valid_up_to()),
        )
    })
}

/// An out-parameter, checked for NULL when the arguments are read and written only at
/// the end of a successful call.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// Check `ptr` for NULL.
    pub(crate) fn new(ptr: *mut T, arg: &'static str) -> Result<Out<T>, Failure> {
        NonNull::new(ptr).map(Out).ok_or_else(|| Failure::null(arg))
    }

    /// Write the value.
    ///
    /// # Safety
    /// The pointer given to [`Out::new`] is valid for writing a `T` (aligned, and not
    /// aliased by a reference the call still uses).
    pub(crate) unsafe fn write(self, value: T) {
        // SAFETY: non-NULL by construction; valid and aligned by the caller's contract.
        // `write` does not drop the old contents, which may be uninitialized.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// A caller-supplied text buffer: `buf` of `cap` bytes and `*out_len`.
///
/// The convention for every function returning text: on success the text is copied with
/// a terminating NUL and `*out_len` receives its length without the NUL. If `cap` is less
/// than that length + 1, the call fails with `BufferTooSmall`, leaves `buf` untouched and
/// still sets `*out_len`, so the caller can retry with `*out_len + 1` bytes. `buf` may be
/// NULL when `cap` is 0 (to ask for the length).
pub(crate) struct TextOut {
    buf: *mut c_char,
    cap: usize,
    out_len: Out<usize>,
}

impl TextOut {
    /// Check the arguments.
    pub(crate) fn new(buf: *mut c_char, cap: usize, out_len: *mut usize) -> Result<TextOut, Failure> {
        if buf.is_null() && cap != 0 {
            return Err(Failure::null("buf"));
        }
        if cap > isize::MAX as usize {
            return Err(Failure::invalid("the buffer length is too large"));
        }
        Ok(TextOut {
            buf,
            cap,
            out_len: Out::new(out_len, "out_len")?,
        })
    }

    /// Copy `text` out, or report the length needed.
    ///
    /// # Safety
    /// `buf` (if `cap > 0`) points to `cap` writable bytes and `out_len` to a writable
    /// `size_t`, neither aliased by a live reference.
    pub(crate) unsafe fn write(self, text: &str) -> Result<(), Failure> {
        let n = text.len();
        if self.cap <= n {
            // SAFETY: forwarded contract. The length is the one out-parameter written on
            // this failure, as documented.
            unsafe { self.out_len.write(n) };
            return Err(Failure::with_message(
                lic_result::BufferTooSmall,
                format!("the buffer holds {} bytes; {} are needed", self.cap, n + 1),
            ));
        }
        // SAFETY: `cap > n` so `buf` is non-NULL and has room for `n + 1` bytes; the source
        // is a Rust string that cannot overlap the caller's buffer.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), self.buf.cast::<u8>(), n);
            self.buf.add(n).write(0);
            self.out_len.write(n);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_checks_null_and_utf8() {
        let s = b"caf\xc3\xa9";
        // SAFETY: a live array.
        assert_eq!(unsafe { text(s.as_ptr().cast(), s.len(), "s") }.unwrap(), "café");
        let bad = b"ab\xff";
        // SAFETY: a live array.
        let e = unsafe { text(bad.as_ptr().cast(), bad.len(), "s") }.unwrap_err();
        assert_eq!(e.code, lic_result::InvalidUtf8);
        assert!(e.message.contains("byte 2"));
        // SAFETY: NULL is checked first.
        let e = unsafe { text(std::ptr::null(), 0, "licensee") }.unwrap_err();
        assert_eq!(e.code, lic_result::NullArgument);
        assert!(e.message.contains("licensee"));
    }

    #[test]
    fn text_out_sizes() {
        let mut buf = [b'x' as c_char; 5];
        let mut n = 99usize;
        let out = TextOut::new(buf.as_mut_ptr(), 5, &mut n).unwrap();
        // SAFETY: live buffer and length.
        let e = unsafe { out.write("hello") }.unwrap_err();
        assert_eq!(e.code, lic_result::BufferTooSmall);
        assert_eq!(n, 5);
        assert!(buf.iter().all(|&c| c == b'x' as c_char), "untouched on failure");
        let out = TextOut::new(buf.as_mut_ptr(), 5, &mut n).unwrap();
        // SAFETY: live buffer and length.
        unsafe { out.write("hell") }.unwrap();
        assert_eq!(n, 4);
        assert_eq!(buf[4], 0);
        let out = TextOut::new(std::ptr::null_mut(), 0, &mut n).unwrap();
        // SAFETY: cap 0, nothing is written to buf.
        let e = unsafe { out.write("abc") }.unwrap_err();
        assert_eq!(e.code, lic_result::BufferTooSmall);
        assert_eq!(n, 3);
        assert!(TextOut::new(std::ptr::null_mut(), 1, &mut n).is_err());
        assert!(TextOut::new(buf.as_mut_ptr(), 1, std::ptr::null_mut()).is_err());
    }
}
