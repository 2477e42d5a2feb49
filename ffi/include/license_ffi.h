/*
 * license_ffi.h: the C interface of license-verify (offline license codes).
 * SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Conventions
 * - Handles are opaque pointers made by lic_*_new (or returned by a call such as
 *   lic_verifier_verify_text) and released by the matching lic_*_free;
 *   lic_*_free(NULL) does nothing. Calls that do not change a handle take it as const.
 *   Each handle type says whether it may be used from several threads at once.
 * - Every call that can fail returns a lic_result; LIC_RESULT_OK is 0. The numbers are
 *   stable and never reused; treat any code you do not know as a failure.
 *   lic_result_message() gives a fixed message per code, lic_last_error_message() the
 *   detailed message of the calling thread's last failure.
 * - Out-parameters are written only when the call returns LIC_RESULT_OK. The one
 *   exception: *out_len of a text buffer is also set with LIC_RESULT_BUFFER_TOO_SMALL.
 * - Text in: a pointer and a length in bytes (no NUL needed); it must be UTF-8
 *   (LIC_RESULT_INVALID_UTF8 otherwise).
 * - Text out: the caller passes buf, buf_len and size_t *out_len. On success the text is
 *   copied NUL-terminated and *out_len is its length without the NUL. If buf_len is
 *   not at least *out_len + 1, LIC_RESULT_BUFFER_TOO_SMALL is returned, buf is left
 *   untouched and *out_len still says the length. buf may be NULL when buf_len is 0.
 * - Every pointer argument is checked for NULL (LIC_RESULT_NULL_ARGUMENT). Integers
 *   standing for enumerations are checked (LIC_RESULT_INVALID_ARGUMENT).
 * - No panic crosses this interface: an internal bug comes out as LIC_RESULT_PANIC.
 * - Time: functions ending in _at take the current time as Unix seconds (UTC), for
 *   tests and for hosts with their own trusted clock; the others read the system clock.
 */

#ifndef LICENSE_FFI_H
#define LICENSE_FFI_H

/* Generated with cbindgen 0.29.4 from the license-ffi crate: do not edit.
   Regenerate with: LIC_BLESS=1 cargo test -p license-ffi --test header */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The version of the library this header belongs to (compare with lic_version()). */
#define LIC_VERSION_MAJOR 0
#define LIC_VERSION_MINOR 1
#define LIC_VERSION_PATCH 0
#define LIC_VERSION "0.1.0"


/**
 * What a call did. `LIC_RESULT_OK` (0) is success; every other value is a failure.
 *
 * The numbers are part of the ABI: they never change and are never reused. New codes
 * get new numbers, so a caller must treat a code it does not know as a failure (every
 * code other than `LIC_RESULT_OK` is one). Ranges: 1-99 calling errors, 100-199 the
 * license code and the vendor key, 200-299 the installation's state, clock, files and
 * revocation lists, 300-399 the seat pool.
 *
 * `lic_result_message` gives a fixed English sentence for each code;
 * `lic_last_error_message` gives the full message of the last failure on the calling
 * thread (with details such as the group holding a typo).
 */
enum lic_result
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Success.
     */
    LIC_RESULT_OK = 0,
    /**
     * A required pointer argument was NULL.
     */
    LIC_RESULT_NULL_ARGUMENT = 1,
    /**
     * A text argument is not valid UTF-8.
     */
    LIC_RESULT_INVALID_UTF8 = 2,
    /**
     * The caller's buffer is too small; the length needed was reported.
     */
    LIC_RESULT_BUFFER_TOO_SMALL = 3,
    /**
     * The library panicked (a bug in the library); the call had no effect on its
     * arguments. Please report it.
     */
    LIC_RESULT_PANIC = 4,
    /**
     * An argument is out of range (an unknown enum value, a date that does not exist,
     * a length too large).
     */
    LIC_RESULT_INVALID_ARGUMENT = 5,
    /**
     * A module name the verifier's catalog does not list.
     */
    LIC_RESULT_UNKNOWN_MODULE = 6,
    /**
     * A failure this version of the library has no code for yet; see
     * `lic_last_error_message`.
     */
    LIC_RESULT_UNKNOWN = 7,
    /**
     * No license code was entered.
     */
    LIC_RESULT_CODE_EMPTY = 100,
    /**
     * The code is too short: part of it is missing.
     */
    LIC_RESULT_CODE_TOO_SHORT = 101,
    /**
     * The text is too long for a license code.
     */
    LIC_RESULT_CODE_TOO_LONG = 102,
    /**
     * A character no code contains.
     */
    LIC_RESULT_INVALID_CHARACTER = 103,
    /**
     * A typo, located in one group (see `lic_last_error_message`).
     */
    LIC_RESULT_TYPO = 104,
    /**
     * Typos, or a missing or extra character.
     */
    LIC_RESULT_TYPO_UNLOCATED = 105,
    /**
     * A machine fingerprint was entered where a license code belongs.
     */
    LIC_RESULT_NOT_A_LICENSE_CODE = 106,
    /**
     * A format version this library does not know.
     */
    LIC_RESULT_UNSUPPORTED_VERSION = 107,
    /**
     * Passes the typo check but does not decode.
     */
    LIC_RESULT_MALFORMED = 108,
    /**
     * Decodes, but not canonically: altered after issue.
     */
    LIC_RESULT_NON_CANONICAL = 109,
    /**
     * Signed with a key the verifier does not know.
     */
    LIC_RESULT_UNKNOWN_KEY = 110,
    /**
     * A code for another product.
     */
    LIC_RESULT_WRONG_PRODUCT = 111,
    /**
     * A code for another licensee.
     */
    LIC_RESULT_WRONG_LICENSEE = 112,
    /**
     * A code for another database.
     */
    LIC_RESULT_WRONG_DATABASE = 113,
    /**
     * The code is bound to a database but no database code was configured.
     */
    LIC_RESULT_DATABASE_CODE_REQUIRED = 114,
    /**
     * The code is bound to a machine but no fingerprint was configured.
     */
    LIC_RESULT_MACHINE_FINGERPRINT_REQUIRED = 115,
    /**
     * A code for another machine.
     */
    LIC_RESULT_WRONG_MACHINE = 116,
    /**
     * The signature does not verify: altered or forged.
     */
    LIC_RESULT_BAD_SIGNATURE = 117,
    /**
     * A vendor public key that is not a valid Ed25519 key.
     */
    LIC_RESULT_INVALID_KEY = 118,
    /**
     * A product id, licensee or database code longer than 255 bytes.
     */
    LIC_RESULT_CONTEXT_TOO_LONG = 119,
    /**
     * A license scope or machine binding that cannot be encoded.
     */
    LIC_RESULT_INVALID_LICENSE = 120,
    /**
     * A date out of range.
     */
    LIC_RESULT_INVALID_DATE = 121,
    /**
     * A revocation list that does not decode.
     */
    LIC_RESULT_INVALID_REVOCATION_LIST = 122,
    /**
     * A revocation list signed with a key the verifier does not know.
     */
    LIC_RESULT_REVOCATION_LIST_UNKNOWN_KEY = 123,
    /**
     * A revocation list whose signature does not verify.
     */
    LIC_RESULT_REVOCATION_LIST_BAD_SIGNATURE = 124,
    /**
     * A higher revision of this license was seen: this code was replaced.
     */
    LIC_RESULT_SUPERSEDED = 200,
    /**
     * The vendor revoked this code.
     */
    LIC_RESULT_REVOKED = 201,
    /**
     * The system clock is behind a time already seen.
     */
    LIC_RESULT_CLOCK_TURNED_BACK = 202,
    /**
     * The state file is damaged or was modified.
     */
    LIC_RESULT_STATE_CORRUPT = 203,
    /**
     * The state file cannot be read.
     */
    LIC_RESULT_STATE_UNREADABLE = 204,
    /**
     * The state file cannot be written.
     */
    LIC_RESULT_STATE_UNWRITABLE = 205,
    /**
     * A revocation list older than the installed one.
     */
    LIC_RESULT_REVOCATION_LIST_ROLLBACK = 206,
    /**
     * A revocation list with the installed list's number but other contents.
     */
    LIC_RESULT_REVOCATION_LIST_CONFLICT = 207,
    /**
     * A revocation list that expired before it was installed.
     */
    LIC_RESULT_REVOCATION_LIST_EXPIRED = 208,
    /**
     * A file could not be read.
     */
    LIC_RESULT_IO = 209,
    /**
     * A license code file that is not text.
     */
    LIC_RESULT_NOT_TEXT = 210,
    /**
     * The verifier's configuration is incomplete or inconsistent.
     */
    LIC_RESULT_CONFIG = 211,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum lic_result lic_result;
#else
typedef uint32_t lic_result;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The library's version as a NUL-terminated string, e.g. "0.1.0": compare it with
 * `LIC_VERSION` to detect a header that does not match the linked library. The string
 * is static: do not free it.
 */
const char *lic_version(void);

/**
 * Copy the fixed English message for `result` into `buf` (see "Text out" in the header's
 * introduction: `*out_len` receives the length without the NUL, also when the buffer is
 * too small).
 *
 * Returns `LIC_RESULT_INVALID_ARGUMENT` for a number that is no result code.
 *
 * # Safety
 * `buf` points to `buf_len` writable bytes (or is NULL with `buf_len` 0); `out_len`
 * points to a writable `size_t`.
 */
lic_result lic_result_message(uint32_t result, char *buf, size_t buf_len, size_t *out_len);

/**
 * Copy the full message of the last call that failed on the calling thread into `buf`:
 * what went wrong and what the user should do, with details the result code does not
 * carry (the group holding a typo, which machine components changed, the revision that
 * replaced a code, the file that could not be read). Empty if no call has failed on this
 * thread. Calls that succeed leave it unchanged; this call itself never changes it,
 * except when it fails.
 *
 * # Safety
 * As for `lic_result_message`.
 */
lic_result lic_last_error_message(char *buf, size_t buf_len, size_t *out_len);

#if defined(LIC_TEST_HOOKS)
/**
 * Test hook: panics inside the panic boundary, so a test can check that the panic comes
 * out as `LIC_RESULT_PANIC`. Present only in builds with the `test-hooks` feature
 * (this crate's own tests); never in a product build.
 */
lic_result lic_test_force_panic(void);
#endif

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* LICENSE_FFI_H */
