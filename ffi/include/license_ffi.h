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
 * - Lifetimes: handles made from another handle are independent copies unless said
 *   otherwise. A lic_license may outlive its lic_verifier, and a lic_seat_snapshot its
 *   lic_seat_pool (it is a copy of the pool's usage at one moment); free each one.
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
 * A count that is not limited (named users, concurrent seats, a seat pool's limit).
 */
#define LIC_UNLIMITED UINT32_MAX

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
     * A failure this version of the library has no code for; see
     * `lic_last_error_message`. Not returned by this version: reserved for failures
     * that later versions of the underlying libraries may add.
     */
    LIC_RESULT_UNKNOWN = 7,
    /**
     * The diagnostic callback cannot be installed: Rust code in this process installed
     * its own `log` logger first, which receives the library's diagnostics instead.
     */
    LIC_RESULT_DIAGNOSTICS_UNAVAILABLE = 8,
    /**
     * A text that is not a database code (see `lic_last_error_message`: a typo's group,
     * an invalid character, or the wrong length).
     */
    LIC_RESULT_DATABASE_CODE_INVALID = 9,
    /**
     * The operating system's random source failed (no database code can be created).
     */
    LIC_RESULT_RANDOM_UNAVAILABLE = 10,
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
     * The code is bound to a machine but no fingerprint was configured. Not returned by
     * this version: the verifier always has a fingerprint (collected or configured).
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
     * A reseller's code whose certificate chain was signed with a vendor key the
     * verifier does not know.
     */
    LIC_RESULT_CERTIFICATE_UNKNOWN_VENDOR_KEY = 150,
    /**
     * A reseller's certificate for another product.
     */
    LIC_RESULT_CERTIFICATE_WRONG_PRODUCT = 151,
    /**
     * A reseller's certificate whose signature does not verify: altered or forged.
     */
    LIC_RESULT_CERTIFICATE_BAD_SIGNATURE = 152,
    /**
     * A reseller's code not signed by the reseller its chain certifies.
     */
    LIC_RESULT_NOT_SIGNED_BY_RESELLER = 153,
    /**
     * A reseller's certificate the vendor revoked.
     */
    LIC_RESULT_CERTIFICATE_REVOKED = 154,
    /**
     * A sub-reseller's certificate wider than its issuer's.
     */
    LIC_RESULT_CERTIFICATE_WIDENING = 155,
    /**
     * A reseller's code outside its reseller's frame (see `lic_last_error_message` for
     * the limit and the reseller).
     */
    LIC_RESULT_OUTSIDE_FRAME = 156,
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
    /**
     * The state file belongs to another installation of this product (copied here).
     */
    LIC_RESULT_STATE_FOREIGN = 212,
    /**
     * The system clock is before the day the code or list was issued.
     */
    LIC_RESULT_CLOCK_BEFORE_ISSUE = 213,
    /**
     * Every concurrent seat is held by a live lease.
     */
    LIC_RESULT_NO_SEAT_AVAILABLE = 300,
    /**
     * A heartbeat for a seat whose lease expired or was released: log in again.
     */
    LIC_RESULT_SEAT_LEASE_LOST = 301,
    /**
     * The seat server cannot be reached (network, timeout). A seat already held stays
     * valid until its lease expires (`lic_seat_client_heartbeat` reports that as success).
     */
    LIC_RESULT_SEAT_SERVER_UNREACHABLE = 302,
    /**
     * The seat server refused the request (see `lic_last_error_message`).
     */
    LIC_RESULT_SEAT_SERVER_REFUSED = 303,
    /**
     * The seat server's answer is not its API: the URL points elsewhere.
     */
    LIC_RESULT_SEAT_SERVER_BAD_RESPONSE = 304,
    /**
     * A lease token that is malformed, forged or altered, or for another holder or product.
     */
    LIC_RESULT_SEAT_TOKEN_INVALID = 305,
    /**
     * A lease token that has expired.
     */
    LIC_RESULT_SEAT_TOKEN_EXPIRED = 306,
    /**
     * A lease signed by a seat server the vendor did not license.
     */
    LIC_RESULT_SEAT_SERVER_UNLICENSED = 307,
    /**
     * No seat is held by this client.
     */
    LIC_RESULT_SEAT_NO_LEASE = 308,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum lic_result lic_result;
#else
typedef uint32_t lic_result;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * How important a diagnostic line is.
 */
enum lic_log_level
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Not used by this version (reserved for failures of the library itself).
     */
    LIC_LOG_LEVEL_ERROR = 1,
    /**
     * Needs the administrator: the clock is behind a time already seen, the state file
     * cannot be used.
     */
    LIC_LOG_LEVEL_WARN = 2,
    /**
     * A decision: a code accepted (with its status) or refused (with why), a revocation
     * list installed or refused.
     */
    LIC_LOG_LEVEL_INFO = 3,
    /**
     * Details: which of several codes was used, the machine components read, the state
     * file written.
     */
    LIC_LOG_LEVEL_DEBUG = 4,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum lic_log_level lic_log_level;
#else
typedef uint32_t lic_log_level;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Where a license stands on the day it was verified (see `lic_license_status`).
 */
enum lic_status
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Before its first valid day (e.g. a reduction that starts next quarter).
     */
    LIC_STATUS_NOT_YET_VALID = 1,
    /**
     * Valid, and not about to expire (or perpetual).
     */
    LIC_STATUS_VALID = 2,
    /**
     * Valid, expiring within the notice window (30 days by default).
     */
    LIC_STATUS_EXPIRING_SOON = 3,
    /**
     * Expired, in the grace period: fully usable.
     */
    LIC_STATUS_IN_GRACE = 4,
    /**
     * Expired and past grace: only the demo seat count is usable.
     */
    LIC_STATUS_DEMO_MODE = 5,
    /**
     * Expired and past grace, with no demo mode.
     */
    LIC_STATUS_EXPIRED = 6,
    /**
     * An interim code past its end: replaced by its successor on the day
     * `lic_license_expires` gives; enter the code valid from that day. Not usable.
     */
    LIC_STATUS_REPLACED = 7,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum lic_status lic_status;
#else
typedef uint32_t lic_status;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * The kind of license (the numbers are the format's).
 */
enum lic_kind
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Perpetual; releases limited by maintenance.
     */
    LIC_KIND_FULL = 0,
    /**
     * Trial or demo: time-limited evaluation.
     */
    LIC_KIND_TRIAL = 1,
    /**
     * Subscription: one paid term.
     */
    LIC_KIND_SUBSCRIPTION = 2,
    /**
     * Not for resale: internal demo license.
     */
    LIC_KIND_NFR = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum lic_kind lic_kind;
#else
typedef uint32_t lic_kind;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * A component of a machine fingerprint. Sets of components are bit masks: bit `n`
 * stands for the component numbered `n`.
 */
enum lic_component
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The operating system's install id.
     */
    LIC_COMPONENT_OS_INSTALL_ID = 0,
    /**
     * The hardware (SMBIOS/board) UUID.
     */
    LIC_COMPONENT_HARDWARE_UUID = 1,
    /**
     * The CPU: brand string and core count.
     */
    LIC_COMPONENT_CPU = 2,
    /**
     * The physical network adapters' MAC addresses.
     */
    LIC_COMPONENT_NETWORK = 3,
    /**
     * The root file system's id (format 2).
     */
    LIC_COMPONENT_ROOT_FILE_SYSTEM = 4,
    /**
     * The main board's serial number (format 2).
     */
    LIC_COMPONENT_BOARD_SERIAL = 5,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum lic_component lic_component;
#else
typedef uint32_t lic_component;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * A machine fingerprint: per component, 24-bit digests keyed with an application key.
 *
 * Made by `lic_fingerprint_collect` (read from this machine) or `lic_fingerprint_new`
 * (empty, filled by the host with `lic_fingerprint_add_component`/`_add_mac`, for hosts
 * that know their machine better, e.g. a container given a stable id).
 *
 * Thread safety: the `const` functions may be called from several threads at once; the
 * `_add_` functions need exclusive access.
 */
typedef struct lic_fingerprint lic_fingerprint;

/**
 * A verified license: its scope, its status on the day it was verified and the
 * entitlements in effect then. Returned by `lic_verifier_verify_text` and
 * `lic_verifier_verify_file`; free it with `lic_license_free`.
 *
 * It does not refer to the verifier: either may be freed first.
 *
 * Thread safety: immutable; every function may be called from several threads at once.
 */
typedef struct lic_license lic_license;

/**
 * A client of a seat server for one holder (with servers to fail over to, in order:
 * `lic_seat_client_add_server`): takes a seat (`lic_seat_client_acquire`),
 * keeps it with heartbeats every third of its TTL (`lic_seat_client_heartbeat`), borrows
 * one for days (`lic_seat_client_borrow`) and gives it back (`lic_seat_client_release`).
 * Every lease comes with a token signed by the server; the client verifies it offline
 * (signature, holder, product, expiry) and refuses a server whose key is not the one given
 * at `lic_seat_client_new` (the key the vendor licensed).
 *
 * A server that cannot be reached does not take a held seat away: the heartbeat succeeds
 * with `server_unreachable` set until the lease expires.
 *
 * Thread safety: thread-safe, except `lic_seat_client_set_identity`,
 * `lic_seat_client_add_server` and `lic_seat_client_set_lease_file`, which must not run
 * while another thread uses the handle. The calls block on the network (10 s at most).
 */
typedef struct lic_seat_client lic_seat_client;

/**
 * A pool of concurrent seats: a seat is taken at login (`lic_seat_pool_acquire`), kept
 * alive by heartbeats and freed at logout (`lic_seat_pool_release`). A client that
 * crashes stops sending heartbeats and its seat comes back when its lease runs out; a
 * holder that logs in again while its lease is live gets the same seat, never a second.
 *
 * Time: the functions without `_at` read the system's monotonic clock. The `_at`
 * functions take the time as milliseconds since the pool was created, on the caller's
 * own monotonic clock (tests, or a seat server with its own clock). Times reported back
 * (lease expiries) are on that same scale.
 *
 * Thread safety: thread-safe; every function may be called from several threads at
 * once (a lock serializes the pool).
 */
typedef struct lic_seat_pool lic_seat_pool;

/**
 * The pool's usage at one moment, for administrators: seats in use, the limit, the peak
 * since the pool was created, and who holds the seats. Made by `lic_seat_pool_snapshot`;
 * free it with `lic_seat_snapshot_free`.
 *
 * Thread safety: immutable; every function may be called from several threads at once.
 */
typedef struct lic_seat_snapshot lic_seat_snapshot;

/**
 * Verifies license codes for one installation. Made by `lic_verifier_new` from a
 * configuration, once at start-up.
 *
 * Thread safety: every function takes it as `const` and may be called from several
 * threads at once; the guards and state-file writes inside are serialized by a lock.
 */
typedef struct lic_verifier lic_verifier;

/**
 * The configuration a `lic_verifier` is built from: vendor keys, product id, build date
 * of this release, licensee, database code or machine fingerprint, module names, state
 * file, policy. Made by `lic_verifier_config_new`, filled by the `_set_`/`_add_`
 * functions, turned into a verifier by `lic_verifier_new` (the configuration stays
 * usable and must still be freed with `lic_verifier_config_free`).
 *
 * Thread safety: not thread-safe; use it from one thread at a time.
 */
typedef struct lic_verifier_config lic_verifier_config;

/**
 * A calendar day (UTC). `{0, 0, 0}` stands for "no date" where a function says so.
 */
typedef struct lic_date {
    /**
     * The year, 1970 to 9999.
     */
    uint16_t year;
    /**
     * The month, 1 to 12.
     */
    uint8_t month;
    /**
     * The day of the month, 1 to 31.
     */
    uint8_t day;
} lic_date;

/**
 * A diagnostic callback: `message` is a NUL-terminated UTF-8 line of `len` bytes (no
 * newline), valid only during the call; `user_data` is the pointer given to
 * `lic_set_diagnostic_callback`. It is called on the thread that made the library call,
 * possibly on several threads at once, and must not call `lic_set_diagnostic_callback`.
 */
typedef void (*lic_diagnostic_fn)(void *user_data,
                                  lic_log_level level,
                                  const char *message,
                                  size_t len);

/**
 * A seat held from a seat server.
 */
typedef struct lic_seat_lease {
    /**
     * When the lease runs out unless renewed, in milliseconds since 1970-01-01 UTC.
     */
    int64_t expires_unix_ms;
    /**
     * Seconds a heartbeat renews it by (send heartbeats every third of this).
     */
    int64_t ttl_secs;
    /**
     * Seats in use at the server's last answer.
     */
    uint32_t in_use;
    /**
     * Licensed seats at the server's last answer (`LIC_UNLIMITED`: not limited).
     */
    uint32_t limit;
    /**
     * Checked out for days (no heartbeats needed until it expires).
     */
    bool borrowed;
    /**
     * The server could not be reached; the seat is kept until `expires_unix_ms`.
     */
    bool server_unreachable;
} lic_seat_lease;

/**
 * A granted or renewed seat.
 */
typedef struct lic_lease {
    /**
     * When the lease runs out unless renewed, in milliseconds since the pool was created.
     */
    uint64_t expires_ms;
    /**
     * Seats in use after this call.
     */
    uint32_t in_use;
    /**
     * Whether the holder already had this seat (a re-claim or a heartbeat).
     */
    bool renewed;
} lic_lease;

/**
 * The installed revocation list.
 */
typedef struct lic_revocation_info {
    /**
     * The list's sequence number (increases with every list the vendor publishes).
     */
    uint64_t sequence;
    /**
     * The day it was issued.
     */
    struct lic_date issued;
    /**
     * The first day it is no longer current (its entries stay in force).
     */
    struct lic_date expires;
    /**
     * How many licenses it revokes.
     */
    uint64_t entries;
} lic_revocation_info;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * Start a configuration for `product` (the product id as in the vendor's catalog, at most
 * 255 bytes) and the build date of this release (for maintenance coverage).
 *
 * Returns `LIC_RESULT_INVALID_DATE` for a date that does not exist and
 * `LIC_RESULT_CONTEXT_TOO_LONG` for a product id over 255 bytes.
 *
 * # Safety
 * `product` points to `product_len` readable bytes; `out_config` to a writable pointer.
 */
lic_result lic_verifier_config_new(const char *product,
                                   size_t product_len,
                                   struct lic_date build_date,
                                   struct lic_verifier_config **out_config);

/**
 * Add a vendor public key (`key_len` must be 32: the Ed25519 key bytes). Several keys
 * allow key rotation: a code names its key by id.
 *
 * Returns `LIC_RESULT_INVALID_KEY` for bytes that are not a usable Ed25519 key.
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call; `key` points to
 * `key_len` readable bytes.
 */
lic_result lic_verifier_config_add_key(struct lic_verifier_config *config,
                                       const uint8_t *key,
                                       size_t key_len);

/**
 * Set the licensee as configured in the installation (required; at most 255 bytes).
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call; `licensee`
 * points to `licensee_len` readable bytes.
 */
lic_result lic_verifier_config_set_licensee(struct lic_verifier_config *config,
                                            const char *licensee,
                                            size_t licensee_len);

/**
 * Set the installation's database code (for codes bound to a database; at most 255
 * bytes).
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call; `database`
 * points to `database_len` readable bytes.
 */
lic_result lic_verifier_config_set_database(struct lic_verifier_config *config,
                                            const char *database,
                                            size_t database_len);

/**
 * Use this fingerprint for machine-bound codes instead of collecting one (the digests are
 * copied; the fingerprint may be freed afterwards). By default the verifier collects this
 * machine's fingerprint, keyed with the product id, the first time a machine-bound code
 * is verified.
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call; `fingerprint` a
 * live handle.
 */
lic_result lic_verifier_config_set_fingerprint(struct lic_verifier_config *config,
                                               const struct lic_fingerprint *fingerprint);

/**
 * Collect this machine's fingerprint with `app_key` (instead of the product id) when a
 * machine-bound code is verified. It must be the key the vendor's fingerprint tool used.
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call; `app_key` points
 * to `app_key_len` readable bytes.
 */
lic_result lic_verifier_config_set_fingerprint_app_key(struct lic_verifier_config *config,
                                                       const uint8_t *app_key,
                                                       size_t app_key_len);

/**
 * Append a module name: the first name added names module 0, the next module 1, and so
 * on (at most 64), as in the vendor's catalog. `lic_license_has_module` looks names up
 * here.
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call; `name` points
 * to `name_len` readable bytes.
 */
lic_result lic_verifier_config_add_module(struct lic_verifier_config *config,
                                          const char *name,
                                          size_t name_len);

/**
 * Append a product line name: the first name added names line 0, the next line 1, and
 * so on (at most 16), as in the vendor's catalog (`licensectl catalog export` writes
 * them in this order). `lic_license_line_name` and `lic_license_describe` use them.
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call; `name` points
 * to `name_len` readable bytes.
 */
lic_result lic_verifier_config_add_line(struct lic_verifier_config *config,
                                        const char *name,
                                        size_t name_len);

/**
 * Tolerate the machine component `component_number` (a `lic_component`) when this process
 * merely cannot read it (the source exists, but not for the user the product runs as: the
 * hardware UUID and board serial are root-only on Linux): a bound component it cannot read
 * then counts neither as changed nor as unreadable, and the majority of all bound
 * components must still match (`docs/SECURITY.md`, the acceptance table's "tolerated"
 * rows). Call once per component. For a fingerprint set with
 * `lic_verifier_config_set_fingerprint`, every such component it has no value for is
 * tolerated.
 *
 * Returns `LIC_RESULT_INVALID_ARGUMENT` for a number that is no component.
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call.
 */
lic_result lic_verifier_config_tolerate_unreadable(struct lic_verifier_config *config,
                                                   uint32_t component_number);

/**
 * Keep the guards (clock high-water mark, highest revision per license, installed
 * revocation list) in a state file at `path` (UTF-8), integrity-protected with `secret`
 * (at least 16 bytes, fixed per application, e.g. built into the binary). Without a
 * state file the guards last only as long as the verifier.
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call; `path` points to
 * `path_len` readable bytes and `secret` to `secret_len`.
 */
lic_result lic_verifier_config_set_state_file(struct lic_verifier_config *config,
                                              const char *path,
                                              size_t path_len,
                                              const uint8_t *secret,
                                              size_t secret_len);

/**
 * Days before expiry from which the status is `LIC_STATUS_EXPIRING_SOON` (default 30).
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call.
 */
lic_result lic_verifier_config_set_notice_days(struct lic_verifier_config *config, uint16_t days);

/**
 * How far (seconds) the clock may be behind the latest time seen before it counts as
 * turned back (default 3600).
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call.
 */
lic_result lic_verifier_config_set_clock_tolerance(struct lic_verifier_config *config,
                                                   uint32_t seconds);

/**
 * Free a configuration; NULL does nothing.
 *
 * # Safety
 * `config` is NULL or a live handle, not used again.
 */
void lic_verifier_config_free(struct lic_verifier_config *config);

/**
 * Create a new database code for this installation from the operating system's random
 * source, e.g. `DB-B80ZZ-01W25-SE82D-XMET2` (26 characters; a 27-byte buffer is always
 * enough). Text out as described in the introduction.
 *
 * Create it once, when the product is installed or its database created, store it in
 * that database, and show it in the license dialog: the customer sends it to the vendor,
 * who issues a code bound to it; pass it to `lic_verifier_config_set_database` at every
 * start. A new code at each start would orphan the license.
 *
 * Returns `LIC_RESULT_RANDOM_UNAVAILABLE` if the operating system offers no random
 * source.
 *
 * # Safety
 * `buf` points to `buf_len` writable bytes (or is NULL with `buf_len` 0); `out_len` to a
 * writable `size_t`.
 */
lic_result lic_database_code_new(char *buf, size_t buf_len, size_t *out_len);

/**
 * Read a database code as a person typed or pasted it (`DB-` may be missing; case,
 * dashes, spaces and `O`/`I`/`L` for `0`/`1` are forgiven) and write its canonical
 * form (26 characters). Text in and out as described in the introduction.
 *
 * Returns `LIC_RESULT_DATABASE_CODE_INVALID` for a text that is no database code; the
 * detailed message (`lic_last_error_message`) says why: the group holding a typo, a
 * character that cannot be part of a code, or the wrong number of characters.
 *
 * # Safety
 * `text` points to `text_len` readable bytes; `buf` to `buf_len` writable bytes (or is
 * NULL with `buf_len` 0); `out_len` to a writable `size_t`.
 */
lic_result lic_database_code_normalize(const char *text,
                                       size_t text_len,
                                       char *buf,
                                       size_t buf_len,
                                       size_t *out_len);

/**
 * Deliver the library's diagnostic lines up to `max_level` (`lic_log_level`: 1 error
 * to 4 debug) to `callback`, with `user_data`, for the whole process; a NULL
 * `callback` stops them. Replaces any earlier callback. Useful while integrating and
 * for support: the detail says why a code was refused, which code of a license file
 * was used, what the state file did.
 *
 * Returns `LIC_RESULT_INVALID_ARGUMENT` for another level, and
 * `LIC_RESULT_DIAGNOSTICS_UNAVAILABLE` when Rust code in the same process installed
 * its own `log` logger first (the lines go to that logger instead).
 *
 * # Safety
 * `callback`, if not NULL, must stay callable with `user_data` until it is replaced or
 * removed, from any thread that calls this library.
 */
lic_result lic_set_diagnostic_callback(lic_diagnostic_fn callback,
                                       void *user_data,
                                       uint32_t max_level);

/**
 * Read this machine's fingerprint, each component hashed with `app_key` (the key the
 * vendor's fingerprint tool uses; by default products use their product id). Never fails
 * for an unreadable component: it counts as unknown (see `lic_fingerprint_describe`).
 * Free the result with `lic_fingerprint_free`.
 *
 * # Safety
 * `app_key` points to `app_key_len` readable bytes; `out_fingerprint` to a writable
 * pointer.
 */
lic_result lic_fingerprint_collect(const uint8_t *app_key,
                                   size_t app_key_len,
                                   struct lic_fingerprint **out_fingerprint);

/**
 * An empty fingerprint (every component unknown) whose components the host adds itself,
 * hashed with `app_key`. Free it with `lic_fingerprint_free`.
 *
 * # Safety
 * As for `lic_fingerprint_collect`.
 */
lic_result lic_fingerprint_new(const uint8_t *app_key,
                               size_t app_key_len,
                               struct lic_fingerprint **out_fingerprint);

/**
 * Add the raw value of `component` (a `lic_component`) as read by the host: an OS install
 * id, a hardware UUID or a CPU description, normalized and hashed as the format defines
 * (for network adapters use `lic_fingerprint_add_mac`). A value that carries no
 * information (empty, all zeros) leaves the component unknown, and so does a value
 * already added; `*out_added` says whether a digest was recorded. At most 8 values are
 * kept per component.
 *
 * Returns `LIC_RESULT_INVALID_ARGUMENT` for an unknown component, for
 * `LIC_COMPONENT_NETWORK`, or for a fingerprint made by `lic_fingerprint_collect`.
 *
 * # Safety
 * `fingerprint` is a live handle not used by another thread during the call; `value`
 * points to `value_len` readable bytes; `out_added` to a writable `bool`.
 */
lic_result lic_fingerprint_add_component(struct lic_fingerprint *fingerprint,
                                         uint32_t component_number,
                                         const char *value,
                                         size_t value_len,
                                         bool *out_added);

/**
 * Add a network adapter's MAC address (`mac_len` must be 6). Addresses that are all
 * zero, multicast or locally administered (virtual adapters, VPNs, containers) are left
 * out; `*out_added` says whether a digest was recorded.
 *
 * # Safety
 * `fingerprint` is a live handle not used by another thread during the call; `mac`
 * points to `mac_len` readable bytes; `out_added` to a writable `bool`.
 */
lic_result lic_fingerprint_add_mac(struct lic_fingerprint *fingerprint,
                                   const uint8_t *mac,
                                   size_t mac_len,
                                   bool *out_added);

/**
 * The components with at least one digest, as a bit mask (bit `n` = `lic_component` `n`).
 *
 * # Safety
 * `fingerprint` is a live handle; `out_mask` points to a writable `uint32_t`.
 */
lic_result lic_fingerprint_known_components(const struct lic_fingerprint *fingerprint,
                                            uint32_t *out_mask);

/**
 * The printable fingerprint the customer sends to the vendor (e.g. `1G5ZK-QH04M-TRF`),
 * allowing `tolerance` components to change later (0 to 3; reduced when fewer components
 * are known; 1 is usual). Text out as described in the introduction.
 *
 * Returns `LIC_RESULT_INVALID_LICENSE` when no component could be read (bind to a
 * database code instead) and `LIC_RESULT_INVALID_ARGUMENT` for a tolerance above 3.
 *
 * # Safety
 * `fingerprint` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL
 * with `buf_len` 0); `out_len` to a writable `size_t`.
 */
lic_result lic_fingerprint_print(const struct lic_fingerprint *fingerprint,
                                 uint32_t tolerance,
                                 char *buf,
                                 size_t buf_len,
                                 size_t *out_len);

/**
 * A report in plain words for support: the printable fingerprint for `tolerance`, then one
 * line per component (read and from where, or unknown and why). Text out as described in
 * the introduction.
 *
 * # Safety
 * As for `lic_fingerprint_print`.
 */
lic_result lic_fingerprint_describe(const struct lic_fingerprint *fingerprint,
                                    uint32_t tolerance,
                                    char *buf,
                                    size_t buf_len,
                                    size_t *out_len);

/**
 * Free a fingerprint; NULL does nothing.
 *
 * # Safety
 * `fingerprint` is NULL or a live handle, not used again.
 */
void lic_fingerprint_free(struct lic_fingerprint *fingerprint);

/**
 * The library's version as a NUL-terminated string, e.g. "0.1.0": compare it with
 * `LIC_VERSION` to detect a header that does not match the linked library. The string
 * is static: do not free it.
 */
const char *lic_version(void);

/**
 * The C name of a result code as a static NUL-terminated string, e.g.
 * `"LIC_RESULT_TYPO"` for 104: stable (a code's name never changes), for logs and
 * support tickets. NULL for a number that is no result code of this library. Do not
 * free it.
 */
const char *lic_result_name(uint32_t result);

/**
 * The C name of a status as a static NUL-terminated string, e.g. `"LIC_STATUS_IN_GRACE"`
 * for 4: stable, for logs. NULL for a number that is no `lic_status`. Do not free it.
 * (For the user, describe the status in words: `lic_license_describe`.)
 */
const char *lic_status_name(uint32_t status);

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
 * thread. Calls that succeed leave it unchanged, and this call never changes it, even
 * when it fails (so asking for the length first, with `buf_len` 0, keeps the message).
 *
 * # Safety
 * As for `lic_result_message`.
 */
lic_result lic_last_error_message(char *buf, size_t buf_len, size_t *out_len);

/**
 * For tests of bindings and host applications only (not for a product's logic): how many
 * handles of every type (`lic_verifier_config`, `lic_verifier`, `lic_license`,
 * `lic_fingerprint`, `lic_seat_pool`, `lic_seat_snapshot`, `lic_seat_client`) this
 * library has made and not yet freed, in the whole process. A leak test makes and frees
 * handles in a loop and checks that the count comes back to where it started.
 */
size_t lic_debug_live_handles(void);

#if defined(LIC_TEST_HOOKS)
/**
 * Test hook: panics inside the panic boundary, so a test can check that the panic comes
 * out as `LIC_RESULT_PANIC`. Present only in builds with the `test-hooks` feature
 * (this crate's own tests); never in a product build.
 */
lic_result lic_test_force_panic(void);
#endif

/**
 * The status on the day of verification: not yet valid, valid, expiring soon, in grace,
 * demo mode or expired.
 *
 * # Safety
 * `license` is a live handle; `out_status` points to a writable `lic_status`.
 */
lic_result lic_license_status(const struct lic_license *license, lic_status *out_status);

/**
 * Days left in the current phase, counting the day of verification: until the first
 * valid day (not yet valid), until expiry (valid, expiring soon), until the end of grace
 * (in grace); 0 in demo mode and when expired; `LIC_UNLIMITED` for a perpetual license.
 *
 * # Safety
 * `license` is a live handle; `out_days` points to a writable `uint32_t`.
 */
lic_result lic_license_days_left(const struct lic_license *license, uint32_t *out_days);

/**
 * Whether the application may run now: a usable status (valid, expiring soon, in grace,
 * demo mode) and a release covered by maintenance.
 *
 * # Safety
 * `license` is a live handle; `out_usable` points to a writable `bool`.
 */
lic_result lic_license_is_usable(const struct lic_license *license, bool *out_usable);

/**
 * Whether this verification was the **first run of this installation**: a state file is
 * configured but none was found, so the guards (clock, replay, revocation) started
 * afresh. Expected once after installing; later it means the state file was deleted or
 * moved, which a host should log or have support confirm (docs/SECURITY.md, "A deleted or
 * restored state file"). Always false without a state file.
 *
 * # Safety
 * `license` is a live handle; `out_first_run` points to a writable `bool`.
 */
lic_result lic_license_first_run(const struct lic_license *license, bool *out_first_run);

/**
 * Whether this release (by the build date given to the verifier) is covered by
 * maintenance. Releases built before the maintenance end stay licensed.
 *
 * # Safety
 * `license` is a live handle; `out_covered` points to a writable `bool`.
 */
lic_result lic_license_release_covered(const struct lic_license *license, bool *out_covered);

/**
 * Named users allowed now: the licensed count, the demo seat count in demo mode, 0 when
 * the license is not usable; `LIC_UNLIMITED` when not limited.
 *
 * # Safety
 * `license` is a live handle; `out_users` points to a writable `uint32_t`.
 */
lic_result lic_license_named_users(const struct lic_license *license, uint32_t *out_users);

/**
 * Concurrent seats allowed now (the size of a seat pool), counted like
 * `lic_license_named_users`.
 *
 * # Safety
 * `license` is a live handle; `out_seats` points to a writable `uint32_t`.
 */
lic_result lic_license_concurrent_seats(const struct lic_license *license, uint32_t *out_seats);

/**
 * The product line number (0 to 15; the vendor's catalog names them, e.g. 0 Standard,
 * 1 Expert).
 *
 * # Safety
 * `license` is a live handle; `out_line` points to a writable `uint8_t`.
 */
lic_result lic_license_line(const struct lic_license *license, uint8_t *out_line);

/**
 * The kind: full, trial, subscription or NFR.
 *
 * # Safety
 * `license` is a live handle; `out_kind` points to a writable `lic_kind`.
 */
lic_result lic_license_kind(const struct lic_license *license, lic_kind *out_kind);

/**
 * The license id (the same across re-issues).
 *
 * # Safety
 * `license` is a live handle; `out_id` points to a writable `uint32_t`.
 */
lic_result lic_license_id(const struct lic_license *license, uint32_t *out_id);

/**
 * The revision of this code (incremented by every re-issue).
 *
 * # Safety
 * `license` is a live handle; `out_revision` points to a writable `uint32_t`.
 */
lic_result lic_license_revision(const struct lic_license *license, uint32_t *out_revision);

/**
 * The day the code was signed.
 *
 * # Safety
 * `license` is a live handle; `out_date` points to a writable `lic_date`.
 */
lic_result lic_license_issued(const struct lic_license *license, struct lic_date *out_date);

/**
 * The first valid day.
 *
 * # Safety
 * `license` is a live handle; `out_date` points to a writable `lic_date`.
 */
lic_result lic_license_valid_from(const struct lic_license *license, struct lic_date *out_date);

/**
 * The first day no longer valid; `{0, 0, 0}` for a perpetual license.
 *
 * # Safety
 * `license` is a live handle; `out_date` points to a writable `lic_date`.
 */
lic_result lic_license_expires(const struct lic_license *license, struct lic_date *out_date);

/**
 * The end of maintenance: releases built before this day are covered; `{0, 0, 0}` when
 * every release is covered.
 *
 * # Safety
 * `license` is a live handle; `out_date` points to a writable `lic_date`.
 */
lic_result lic_license_maintenance_ends(const struct lic_license *license,
                                        struct lic_date *out_date);

/**
 * The day the license was verified for (the status and entitlements are for this day).
 *
 * # Safety
 * `license` is a live handle; `out_date` points to a writable `lic_date`.
 */
lic_result lic_license_today(const struct lic_license *license, struct lic_date *out_date);

/**
 * The modules usable now as a bit mask (bit `n` = module `n`; 0 when not usable).
 *
 * # Safety
 * `license` is a live handle; `out_mask` points to a writable `uint64_t`.
 */
lic_result lic_license_modules(const struct lic_license *license, uint64_t *out_mask);

/**
 * Whether the module named `name` (as given to `lic_verifier_config_add_module`) may be
 * used now: licensed, and the license usable. Returns `LIC_RESULT_UNKNOWN_MODULE` for a
 * name the configuration does not list (a typo in the application, not a "no").
 *
 * # Safety
 * `license` is a live handle; `name` points to `name_len` readable bytes; `out_has` to a
 * writable `bool`.
 */
lic_result lic_license_has_module(const struct lic_license *license,
                                  const char *name,
                                  size_t name_len,
                                  bool *out_has);

/**
 * A later revision of this license that is already known and takes effect on a later
 * day (a reduction next quarter): `*out_pending` says whether there is one; if so
 * `*out_revision` and `*out_starts` receive its revision and first day (otherwise they
 * are left unchanged). From that day this code is refused as superseded.
 *
 * # Safety
 * `license` is a live handle; the out pointers are writable.
 */
lic_result lic_license_pending_change(const struct lic_license *license,
                                      bool *out_pending,
                                      uint32_t *out_revision,
                                      struct lic_date *out_starts);

/**
 * The product line's name as configured with `lic_verifier_config_add_line` (from the
 * vendor's catalog); an empty text when the line has no configured name (then use
 * `lic_license_line`). Text out as described in the introduction.
 *
 * # Safety
 * `license` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL with
 * `buf_len` 0); `out_len` to a writable `size_t`.
 */
lic_result lic_license_line_name(const struct lic_license *license,
                                 char *buf,
                                 size_t buf_len,
                                 size_t *out_len);

/**
 * What the license grants, in plain words (one `Label: value` line per item: kind, line,
 * users, seats, modules by name, dates, status), for the customer to read. Text out as
 * described in the introduction.
 *
 * # Safety
 * `license` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL with
 * `buf_len` 0); `out_len` to a writable `size_t`.
 */
lic_result lic_license_describe(const struct lic_license *license,
                                char *buf,
                                size_t buf_len,
                                size_t *out_len);

/**
 * Free a license; NULL does nothing.
 *
 * # Safety
 * `license` is NULL or a live handle no other thread is using, not used again.
 */
void lic_license_free(struct lic_license *license);

/**
 * The reseller that issued the license: its display name (text out as described in the
 * introduction; empty for a code the vendor signed itself) and the depth of its
 * certificate chain (0 for the vendor's own code, 1 for a reseller the vendor
 * certified, 2 for its sub-reseller). `out_depth` is written only on success.
 *
 * # Safety
 * `license` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL with
 * `buf_len` 0); `out_len` to a writable `size_t`; `out_depth` to a writable `uint32_t`.
 */
lic_result lic_license_reseller(const struct lic_license *license,
                                char *buf,
                                size_t buf_len,
                                size_t *out_len,
                                uint32_t *out_depth);

/**
 * A client of the seat server at `server_url` (`http://host:port`) for `product`, holding
 * seats as `holder` (unique per client and stable across restarts, so a restarted client
 * gets its own seat back). `server_key` is the 32-byte Ed25519 public key of the seat
 * server the vendor licensed; leases signed by any other key are refused. Free it with
 * `lic_seat_client_free`.
 *
 * # Safety
 * Each text pointer points to its length in readable bytes; `server_key` to `key_len`
 * readable bytes; `out_client` to a writable pointer.
 */
lic_result lic_seat_client_new(const char *server_url,
                               size_t server_url_len,
                               const char *product,
                               size_t product_len,
                               const char *holder,
                               size_t holder_len,
                               const uint8_t *server_key,
                               size_t key_len,
                               struct lic_seat_client **out_client);

/**
 * A client that accepts only the seat server the vendor named in `license` (the verified
 * code's seat-server binding; format 2): the preferred way, since the key comes from the
 * vendor's signature, not from configuration. Fails with `LIC_RESULT_INVALID_ARGUMENT` if
 * the code names no seat server. Free it with
 * `lic_seat_client_free`; `license` may be freed afterwards.
 *
 * # Safety
 * Each text pointer points to its length in readable bytes; `license` is a live handle;
 * `out_client` points to a writable pointer.
 */
lic_result lic_seat_client_new_for_license(const char *server_url,
                                           size_t server_url_len,
                                           const char *product,
                                           size_t product_len,
                                           const char *holder,
                                           size_t holder_len,
                                           const struct lic_license *license,
                                           struct lic_seat_client **out_client);

/**
 * Name the user and the client machine, shown to the server's administrators.
 *
 * # Safety
 * `client` is a live handle no other thread is using during the call; the texts point to
 * their lengths in readable bytes.
 */
lic_result lic_seat_client_set_identity(struct lic_seat_client *client,
                                        const char *user,
                                        size_t user_len,
                                        const char *machine,
                                        size_t machine_len);

/**
 * Add a seat server to fail over to, after the one given at `lic_seat_client_new` and
 * those added before: when the current server cannot be reached (no answer: refused, reset,
 * timed out), the others are tried in that order, and the server that answered becomes
 * the current one; when none answers the call fails with
 * `LIC_RESULT_SEAT_SERVER_UNREACHABLE`, its message naming each server and its cause.
 * The servers of one list serve one license, so the server key (or the license's binding)
 * given at `_new` is checked against every one of them. A lease is known only to the
 * servers sharing its database: after a failover to a server with its own database, a
 * heartbeat answers `LIC_RESULT_SEAT_LEASE_LOST`, and the client acquires again.
 * `LIC_RESULT_INVALID_ARGUMENT`: the URL is not `http://` or `https://` (the list is
 * unchanged).
 *
 * # Safety
 * `client` is a live handle no other thread is using during the call; `server_url` points
 * to `server_url_len` readable bytes.
 */
lic_result lic_seat_client_add_server(struct lic_seat_client *client,
                                      const char *server_url,
                                      size_t server_url_len);

/**
 * Keep this client's holder key and held lease in the file at `path` (mode 0600, replaced
 * atomically at every change; the key is created at the first grant). If the file exists,
 * its key is taken, and its lease too while its token has not expired, so a restarted
 * program renews and returns the seat it held (a borrowed one included); without a lease
 * file the holder key lives in memory and a restarted program cannot renew or return its
 * old seat (it comes back at its lease's expiry). `LIC_RESULT_SEAT_TOKEN_INVALID` and the
 * other token codes: the file holds another holder's, product's or server's lease;
 * `LIC_RESULT_INVALID_ARGUMENT`: it cannot be read or was not written by a seat client.
 *
 * # Safety
 * `client` is a live handle no other thread is using during the call; `path` points to
 * `path_len` readable bytes.
 */
lic_result lic_seat_client_set_lease_file(struct lic_seat_client *client,
                                          const char *path,
                                          size_t path_len);

/**
 * Free a client; NULL does nothing. The seat is not released (call
 * `lic_seat_client_release` first, or let its lease expire).
 *
 * # Safety
 * `client` is NULL or a live handle no other thread is using, not used again.
 */
void lic_seat_client_free(struct lic_seat_client *client);

/**
 * Take a seat (or get this holder's own seat back), with a TTL of `ttl_secs` seconds (0:
 * the server's default). Returns `LIC_RESULT_NO_SEAT_AVAILABLE` when every licensed seat
 * is taken.
 *
 * # Safety
 * `client` is a live handle; `out_lease` points to a writable `lic_seat_lease`.
 */
lic_result lic_seat_client_acquire(const struct lic_seat_client *client,
                                   uint32_t ttl_secs,
                                   struct lic_seat_lease *out_lease);

/**
 * Check a seat out for `days` days, for a machine leaving the network: it needs no
 * heartbeats and counts as held until released or expired. Keep its token
 * (`lic_seat_client_token`) to prove the seat offline after a restart.
 *
 * # Safety
 * As for `lic_seat_client_acquire`.
 */
lic_result lic_seat_client_borrow(const struct lic_seat_client *client,
                                  uint32_t days,
                                  struct lic_seat_lease *out_lease);

/**
 * Renew the held seat. When the server cannot be reached but the held lease is still
 * live, this succeeds with `server_unreachable` set (the seat is kept until
 * `expires_unix_ms`); once the lease has expired it fails with
 * `LIC_RESULT_SEAT_SERVER_UNREACHABLE`. `LIC_RESULT_SEAT_LEASE_LOST`: the server no longer
 * holds the seat (expired, or freed by an administrator).
 *
 * # Safety
 * As for `lic_seat_client_acquire`.
 */
lic_result lic_seat_client_heartbeat(const struct lic_seat_client *client,
                                     struct lic_seat_lease *out_lease);

/**
 * Give the held seat back (also a borrowed one). `*out_removed` is false when the server
 * no longer held it (expired or freed).
 *
 * # Safety
 * `client` is a live handle; `out_removed` points to a writable `bool`.
 */
lic_result lic_seat_client_release(const struct lic_seat_client *client, bool *out_removed);

/**
 * Whether a seat is held now by the held lease's expiry, whether or not the server can
 * be reached (no network call).
 *
 * # Safety
 * `client` is a live handle; `out_held` points to a writable `bool`.
 */
lic_result lic_seat_client_holds_seat(const struct lic_seat_client *client, bool *out_held);

/**
 * The held lease's token (text), to keep a borrowed seat across restarts. The text
 * convention of every function returning text applies (see `lic_last_error_message`).
 * `LIC_RESULT_SEAT_NO_LEASE` when no seat is held.
 *
 * # Safety
 * `client` is a live handle; `buf` points to `cap` writable bytes (or is NULL with `cap`
 * 0); `out_len` to a writable `size_t`.
 */
lic_result lic_seat_client_token(const struct lic_seat_client *client,
                                 char *buf,
                                 size_t cap,
                                 size_t *out_len);

/**
 * Take over a lease token kept from an earlier run (a borrowed seat), after verifying it
 * offline now: the server key, signature, holder, product and expiry.
 *
 * # Safety
 * `client` is a live handle; `token` points to `token_len` readable bytes; `out_lease` to
 * a writable `lic_seat_lease`.
 */
lic_result lic_seat_client_adopt_token(const struct lic_seat_client *client,
                                       const char *token,
                                       size_t token_len,
                                       struct lic_seat_lease *out_lease);

/**
 * A pool of `seats` seats (`LIC_UNLIMITED`: not limited, usage is still tracked) whose
 * leases last `lease_secs` seconds unless renewed. Free it with `lic_seat_pool_free`.
 *
 * # Safety
 * `out_pool` points to a writable pointer.
 */
lic_result lic_seat_pool_new(uint32_t seats, uint32_t lease_secs, struct lic_seat_pool **out_pool);

/**
 * A pool sized by the license's concurrent seats in effect now (the demo seat count in
 * demo mode, 0 when the license is not usable, not limited when the license does not
 * limit seats).
 *
 * # Safety
 * `license` is a live handle; `out_pool` points to a writable pointer.
 */
lic_result lic_seat_pool_new_for_license(const struct lic_license *license,
                                         uint32_t lease_secs,
                                         struct lic_seat_pool **out_pool);

/**
 * Free a pool; NULL does nothing.
 *
 * # Safety
 * `pool` is NULL or a live handle no other thread is using, not used again.
 */
void lic_seat_pool_free(struct lic_seat_pool *pool);

/**
 * Take a seat for `holder` (a user, session or client id) at login. The same holder gets
 * its live seat back, renewed. Returns `LIC_RESULT_NO_SEAT_AVAILABLE` when every seat is
 * held by a live lease.
 *
 * # Safety
 * `pool` is a live handle; `holder` points to `holder_len` readable bytes; `out_lease` to
 * a writable `lic_lease`.
 */
lic_result lic_seat_pool_acquire(const struct lic_seat_pool *pool,
                                 const char *holder,
                                 size_t holder_len,
                                 struct lic_lease *out_lease);

/**
 * `lic_seat_pool_acquire` at `now_ms` (milliseconds since the pool was created).
 *
 * # Safety
 * As for `lic_seat_pool_acquire`.
 */
lic_result lic_seat_pool_acquire_at(const struct lic_seat_pool *pool,
                                    const char *holder,
                                    size_t holder_len,
                                    uint64_t now_ms,
                                    struct lic_lease *out_lease);

/**
 * Renew `holder`'s lease. Returns `LIC_RESULT_SEAT_LEASE_LOST` if it has none (expired or
 * released): the client must log in again.
 *
 * # Safety
 * As for `lic_seat_pool_acquire`.
 */
lic_result lic_seat_pool_heartbeat(const struct lic_seat_pool *pool,
                                   const char *holder,
                                   size_t holder_len,
                                   struct lic_lease *out_lease);

/**
 * `lic_seat_pool_heartbeat` at `now_ms` (milliseconds since the pool was created).
 *
 * # Safety
 * As for `lic_seat_pool_acquire`.
 */
lic_result lic_seat_pool_heartbeat_at(const struct lic_seat_pool *pool,
                                      const char *holder,
                                      size_t holder_len,
                                      uint64_t now_ms,
                                      struct lic_lease *out_lease);

/**
 * Free `holder`'s seat at logout; `*out_held` says whether it held one.
 *
 * # Safety
 * `pool` is a live handle; `holder` points to `holder_len` readable bytes; `out_held` to
 * a writable `bool`.
 */
lic_result lic_seat_pool_release(const struct lic_seat_pool *pool,
                                 const char *holder,
                                 size_t holder_len,
                                 bool *out_held);

/**
 * Change the number of seats (a new code, or the license entering demo mode;
 * `LIC_UNLIMITED`: not limited). When more seats are held than the new limit, the newest
 * holders lose theirs (their next heartbeat fails with `LIC_RESULT_SEAT_LEASE_LOST`) and
 * the oldest keep theirs; `*out_over_limit` receives how many seats were taken back.
 *
 * # Safety
 * `pool` is a live handle; `out_over_limit` points to a writable `uint32_t`.
 */
lic_result lic_seat_pool_set_limit(const struct lic_seat_pool *pool,
                                   uint32_t seats,
                                   uint32_t *out_over_limit);

/**
 * Reclaim expired leases and take a snapshot of the pool's usage.
 *
 * # Safety
 * `pool` is a live handle; `out_snapshot` points to a writable pointer.
 */
lic_result lic_seat_pool_snapshot(const struct lic_seat_pool *pool,
                                  struct lic_seat_snapshot **out_snapshot);

/**
 * `lic_seat_pool_snapshot` at `now_ms` (milliseconds since the pool was created).
 *
 * # Safety
 * As for `lic_seat_pool_snapshot`.
 */
lic_result lic_seat_pool_snapshot_at(const struct lic_seat_pool *pool,
                                     uint64_t now_ms,
                                     struct lic_seat_snapshot **out_snapshot);

/**
 * Seats in use, the limit (`LIC_UNLIMITED`: not limited), the most seats in use at once
 * since the pool was created, and the number of holders (equal to the seats in use).
 *
 * # Safety
 * `snapshot` is a live handle; every out pointer points to a writable `uint32_t`.
 */
lic_result lic_seat_snapshot_usage(const struct lic_seat_snapshot *snapshot,
                                   uint32_t *out_in_use,
                                   uint32_t *out_limit,
                                   uint32_t *out_peak);

/**
 * Holder number `index` (0 = the oldest seat; there are as many holders as seats in use):
 * its id as text (text out as described in the introduction), when it took the seat
 * and when its lease runs out (milliseconds since the pool was created). Returns
 * `LIC_RESULT_INVALID_ARGUMENT` for an index past the last holder.
 *
 * # Safety
 * `snapshot` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL with
 * `buf_len` 0); `out_len`, `out_since_ms` and `out_expires_ms` are writable.
 */
lic_result lic_seat_snapshot_holder(const struct lic_seat_snapshot *snapshot,
                                    size_t index,
                                    char *buf,
                                    size_t buf_len,
                                    size_t *out_len,
                                    uint64_t *out_since_ms,
                                    uint64_t *out_expires_ms);

/**
 * Free a snapshot; NULL does nothing.
 *
 * # Safety
 * `snapshot` is NULL or a live handle no other thread is using, not used again.
 */
void lic_seat_snapshot_free(struct lic_seat_snapshot *snapshot);

/**
 * Build a verifier from `config`. The configuration is not consumed. A state file that is
 * corrupt or unreadable does not fail here: every verification reports it until it is
 * restored or `lic_verifier_reset_state` is called.
 *
 * Returns `LIC_RESULT_CONFIG` when no key or no licensee was configured, or the state-file
 * secret is shorter than 16 bytes. Free the verifier with `lic_verifier_free`.
 *
 * # Safety
 * `config` is a live handle not used by another thread during the call; `out_verifier`
 * points to a writable pointer.
 */
lic_result lic_verifier_new(const struct lic_verifier_config *config,
                            struct lic_verifier **out_verifier);

/**
 * Free a verifier; NULL does nothing.
 *
 * # Safety
 * `verifier` is NULL or a live handle no other thread is using, not used again.
 */
void lic_verifier_free(struct lic_verifier *verifier);

/**
 * Verify a license code given as text (as the customer pasted it: dashes, spaces, line
 * breaks and lower case are accepted), at the system clock's time. On success
 * `*out_license` receives the verified license (free it with `lic_license_free`).
 *
 * In order, the most specific cause first: the text must be free of typos and the code
 * well-formed, the state file usable, the clock not turned back, the code signed by a
 * configured key for this product, licensee, database and machine, not signed after
 * today, not revoked and not superseded by a higher revision already seen. A code that verifies may still
 * not be usable (expired, not yet valid, release not covered): see `lic_license_status`
 * and `lic_license_is_usable`.
 *
 * # Safety
 * `verifier` is a live handle; `text` points to `text_len` readable bytes;
 * `out_license` to a writable pointer.
 */
lic_result lic_verifier_verify_text(const struct lic_verifier *verifier,
                                    const char *text,
                                    size_t text_len,
                                    struct lic_license **out_license);

/**
 * `lic_verifier_verify_text` at the Unix time `now_unix` (seconds, UTC).
 *
 * # Safety
 * As for `lic_verifier_verify_text`.
 */
lic_result lic_verifier_verify_text_at(const struct lic_verifier *verifier,
                                       const char *text,
                                       size_t text_len,
                                       int64_t now_unix,
                                       struct lic_license **out_license);

/**
 * Verify the code stored as text in the file at `path` (a UTF-8 path), at the system
 * clock's time. Returns `LIC_RESULT_IO` when the file cannot be read and
 * `LIC_RESULT_NOT_TEXT` when it is not text; otherwise as `lic_verifier_verify_text`.
 *
 * # Safety
 * `verifier` is a live handle; `path` points to `path_len` readable bytes;
 * `out_license` to a writable pointer.
 */
lic_result lic_verifier_verify_file(const struct lic_verifier *verifier,
                                    const char *path,
                                    size_t path_len,
                                    struct lic_license **out_license);

/**
 * `lic_verifier_verify_file` at the Unix time `now_unix` (seconds, UTC).
 *
 * # Safety
 * As for `lic_verifier_verify_file`.
 */
lic_result lic_verifier_verify_file_at(const struct lic_verifier *verifier,
                                       const char *path,
                                       size_t path_len,
                                       int64_t now_unix,
                                       struct lic_license **out_license);

/**
 * Install a revocation list (its binary form, as the vendor publishes it) at the system
 * clock's time. It must be signed by a configured vendor key, be current, and be newer
 * than the installed list (the installed list again is accepted and changes nothing).
 * Its entries are kept in the state file, so the list is needed only once. On success
 * `*out_info` describes the installed list.
 *
 * # Safety
 * `verifier` is a live handle; `list` points to `list_len` readable bytes; `out_info` to
 * a writable `lic_revocation_info`.
 */
lic_result lic_verifier_ingest_revocation_list(const struct lic_verifier *verifier,
                                               const uint8_t *list,
                                               size_t list_len,
                                               struct lic_revocation_info *out_info);

/**
 * `lic_verifier_ingest_revocation_list` at the Unix time `now_unix` (seconds, UTC).
 *
 * # Safety
 * As for `lic_verifier_ingest_revocation_list`.
 */
lic_result lic_verifier_ingest_revocation_list_at(const struct lic_verifier *verifier,
                                                  const uint8_t *list,
                                                  size_t list_len,
                                                  int64_t now_unix,
                                                  struct lic_revocation_info *out_info);

/**
 * Install the revocation list stored in the file at `path` (UTF-8), at the system
 * clock's time. As `lic_verifier_ingest_revocation_list`, plus `LIC_RESULT_IO` when the
 * file cannot be read.
 *
 * # Safety
 * `verifier` is a live handle; `path` points to `path_len` readable bytes; `out_info` to
 * a writable `lic_revocation_info`.
 */
lic_result lic_verifier_ingest_revocation_file(const struct lic_verifier *verifier,
                                               const char *path,
                                               size_t path_len,
                                               struct lic_revocation_info *out_info);

/**
 * `lic_verifier_ingest_revocation_file` at the Unix time `now_unix` (seconds, UTC).
 *
 * # Safety
 * As for `lic_verifier_ingest_revocation_file`.
 */
lic_result lic_verifier_ingest_revocation_file_at(const struct lic_verifier *verifier,
                                                  const char *path,
                                                  size_t path_len,
                                                  int64_t now_unix,
                                                  struct lic_revocation_info *out_info);

/**
 * The installed revocation list: `*out_installed` says whether there is one, and if so
 * `*out_info` describes it (otherwise `*out_info` is left unchanged).
 *
 * # Safety
 * `verifier` is a live handle; `out_installed` points to a writable `bool` and
 * `out_info` to a writable `lic_revocation_info`.
 */
lic_result lic_verifier_revocation_list(const struct lic_verifier *verifier,
                                        bool *out_installed,
                                        struct lic_revocation_info *out_info);

/**
 * For long-running applications: check the clock against the latest time seen and
 * advance it (call it now and then, e.g. hourly), at the Unix time `now_unix`.
 * Returns `LIC_RESULT_CLOCK_TURNED_BACK` if the clock is behind.
 *
 * # Safety
 * `verifier` is a live handle.
 */
lic_result lic_verifier_check_clock_at(const struct lic_verifier *verifier, int64_t now_unix);

/**
 * `lic_verifier_check_clock_at` at the system clock's time.
 *
 * # Safety
 * `verifier` is a live handle.
 */
lic_result lic_verifier_check_clock(const struct lic_verifier *verifier);

/**
 * Write to the state file any change not yet written (after `LIC_RESULT_STATE_UNWRITABLE`,
 * once the cause is fixed).
 *
 * # Safety
 * `verifier` is a live handle.
 */
lic_result lic_verifier_flush_state(const struct lic_verifier *verifier);

/**
 * For support only: start the guards afresh at the system clock's time, as on a first
 * run, and write the state file. This forgets the highest revisions seen and the
 * installed revocation list (install the current list again afterwards).
 *
 * # Safety
 * `verifier` is a live handle.
 */
lic_result lic_verifier_reset_state(const struct lic_verifier *verifier);

/**
 * `lic_verifier_reset_state` at the Unix time `now_unix` (seconds, UTC).
 *
 * # Safety
 * `verifier` is a live handle.
 */
lic_result lic_verifier_reset_state_at(const struct lic_verifier *verifier, int64_t now_unix);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* LICENSE_FFI_H */
