/*
 * C tests of the license-ffi ABI. Built by ffi/tests/c_api.rs (and the sanitizer tests)
 * with -std=c11 -Wall -Wextra -Werror -pedantic against liblicense_ffi.a, with a
 * generated fixtures.h (codes and revocation lists signed with a fixed test key).
 *
 * Usage: test_api <scratch-dir>   (the directory holds an empty subdirectory "dir")
 *
 * Covers: success paths of every function, every result code (checked at the end against
 * the list of codes in the header), NULL for every pointer argument, too-small buffers,
 * non-UTF-8 text, out-parameters left untouched on failure, a forced panic, the names of
 * codes and statuses, and the diagnostic callback.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "license_ffi.h"
#include "fixtures.h"

static int passed;
static int failed;
static bool seen[1024];
static const char *scratch;

/* A text argument: pointer and length. */
#define S(str) (str), strlen(str)

static void check(bool ok, const char *what, int line) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "test_api.c:%d: check failed: %s\n", line, what);
    }
}
#define CHECK(cond) check((cond), #cond, __LINE__)

static void expect(lic_result got, lic_result want, const char *what, int line) {
    if (got < 1024) {
        seen[got] = true;
    }
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    char msg[1024];
    size_t n = 0;
    if (lic_last_error_message(msg, sizeof msg, &n) != LIC_RESULT_OK) {
        msg[0] = '\0';
    }
    fprintf(stderr, "test_api.c:%d: %s returned %u, expected %u (last error: %s)\n", line, what,
            (unsigned)got, (unsigned)want, msg);
}
#define EXPECT(call, code) expect((call), (code), #call, __LINE__)
#define OK(call) EXPECT(call, LIC_RESULT_OK)

/* The detailed message of the last failure on this thread. */
static const char *last_error(void) {
    static char msg[2048];
    size_t n = 0;
    if (lic_last_error_message(msg, sizeof msg, &n) != LIC_RESULT_OK) {
        return "";
    }
    return msg;
}

static char *path_in_scratch(const char *name) {
    static char paths[8][1024];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 1024, "%s/%s", scratch, name);
    return p;
}

static void write_file(const char *path, const void *bytes, size_t len) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fwrite(bytes, 1, len, f) == len);
        fclose(f);
    }
}

static bool date_is(struct lic_date d, int y, int m, int day) {
    return d.year == y && d.month == m && d.day == day;
}

static const char *MODULES[] = {"crm", "budget", "planning", "bi"};

static lic_verifier_config *config(bool with_database) {
    lic_verifier_config *c = NULL;
    lic_date build = {FIX_BUILD_YEAR, FIX_BUILD_MONTH, FIX_BUILD_DAY};
    OK(lic_verifier_config_new(S(FIX_PRODUCT), build, &c));
    OK(lic_verifier_config_add_key(c, FIX_VENDOR_KEY, sizeof FIX_VENDOR_KEY));
    OK(lic_verifier_config_set_licensee(c, S(FIX_LICENSEE)));
    if (with_database) {
        OK(lic_verifier_config_set_database(c, S(FIX_DATABASE)));
    }
    for (size_t i = 0; i < sizeof MODULES / sizeof MODULES[0]; i++) {
        OK(lic_verifier_config_add_module(c, S(MODULES[i])));
    }
    /* The catalog's line names, in line-number order. */
    OK(lic_verifier_config_add_line(c, S("standard")));
    OK(lic_verifier_config_add_line(c, S("expert")));
    return c;
}

static lic_verifier *verifier_from(const lic_verifier_config *c) {
    lic_verifier *v = NULL;
    OK(lic_verifier_new(c, &v));
    return v;
}

static lic_verifier *verifier(void) {
    lic_verifier_config *c = config(true);
    lic_verifier *v = verifier_from(c);
    lic_verifier_config_free(c);
    return v;
}

/* Verify `code` at `now` with a fresh verifier; expect `want`; return the license or NULL. */
static lic_license *verify_fresh(const char *code, int64_t now, lic_result want, int line) {
    lic_verifier *v = verifier();
    lic_license *l = NULL;
    expect(lic_verifier_verify_text_at(v, S(code), now, &l), want, code, line);
    lic_verifier_free(v);
    return l;
}

/* ---------------------------------------------------------------------------------- */

static void test_version_and_messages(void) {
    CHECK(strcmp(lic_version(), LIC_VERSION) == 0);
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", LIC_VERSION_MAJOR, LIC_VERSION_MINOR,
             LIC_VERSION_PATCH);
    CHECK(strncmp(LIC_VERSION, expected, strlen(expected)) == 0);

    for (size_t i = 0; i < sizeof FIX_ALL_RESULTS / sizeof FIX_ALL_RESULTS[0]; i++) {
        char msg[256];
        size_t n = 0;
        OK(lic_result_message(FIX_ALL_RESULTS[i].code, msg, sizeof msg, &n));
        CHECK(n > 0 && strlen(msg) == n);
    }
    /* A number that is no code. */
    char msg[256];
    size_t n = 12345;
    EXPECT(lic_result_message(9999, msg, sizeof msg, &n), LIC_RESULT_INVALID_ARGUMENT);
    CHECK(n == 12345);

    /* Too small: the buffer is untouched, the length is reported. */
    char small[8];
    memset(small, 'x', sizeof small);
    EXPECT(lic_result_message(LIC_RESULT_OK, small, 3, &n), LIC_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == strlen("success"));
    CHECK(small[0] == 'x' && small[2] == 'x');
    /* Exactly the length is still too small (no room for the NUL); length + 1 fits. */
    EXPECT(lic_result_message(LIC_RESULT_OK, small, 7, &n), LIC_RESULT_BUFFER_TOO_SMALL);
    OK(lic_result_message(LIC_RESULT_OK, small, 8, &n));
    CHECK(strcmp(small, "success") == 0 && n == 7);
    /* Asking for the length with a NULL buffer of length 0. */
    EXPECT(lic_result_message(LIC_RESULT_TYPO, NULL, 0, &n), LIC_RESULT_BUFFER_TOO_SMALL);
    CHECK(n > 10);
    EXPECT(lic_result_message(LIC_RESULT_TYPO, NULL, 10, &n), LIC_RESULT_NULL_ARGUMENT);
    EXPECT(lic_result_message(LIC_RESULT_TYPO, msg, sizeof msg, NULL), LIC_RESULT_NULL_ARGUMENT);
    EXPECT(lic_last_error_message(NULL, 1, &n), LIC_RESULT_NULL_ARGUMENT);
    EXPECT(lic_last_error_message(msg, sizeof msg, NULL), LIC_RESULT_NULL_ARGUMENT);
    /* The detail names the argument. */
    EXPECT(lic_result_message(LIC_RESULT_TYPO, msg, sizeof msg, NULL), LIC_RESULT_NULL_ARGUMENT);
    CHECK(strstr(last_error(), "out_len") != NULL);
    /* Asking lic_last_error_message for its length does not replace the message. */
    size_t want = 0;
    EXPECT(lic_last_error_message(NULL, 0, &want), LIC_RESULT_BUFFER_TOO_SMALL);
    EXPECT(lic_last_error_message(msg, 1, &n), LIC_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == want && want > 0);
    EXPECT(lic_last_error_message(msg, sizeof msg, NULL), LIC_RESULT_NULL_ARGUMENT);
    CHECK(strstr(last_error(), "out_len") != NULL && strlen(last_error()) == want);
}

static void test_forced_panic(void) {
#if defined(LIC_TEST_HOOKS)
    EXPECT(lic_test_force_panic(), LIC_RESULT_PANIC);
    CHECK(strstr(last_error(), "panic") != NULL);
    /* The library still works afterwards. */
    lic_license *l = verify_fresh(FIX_CODE_VALID, FIX_NOW, LIC_RESULT_OK, __LINE__);
    CHECK(l != NULL);
    lic_license_free(l);
#else
    CHECK(!"built without LIC_TEST_HOOKS");
#endif
}

static void test_valid_license(void) {
    lic_license *l = verify_fresh(FIX_CODE_VALID, FIX_NOW, LIC_RESULT_OK, __LINE__);
    CHECK(l != NULL);
    if (l == NULL) {
        return;
    }
    lic_status status = 0;
    OK(lic_license_status(l, &status));
    CHECK(status == LIC_STATUS_VALID);
    uint32_t u = 0;
    OK(lic_license_days_left(l, &u));
    CHECK(u == FIX_DAYS_TO_EXPIRY);
    bool b = false;
    OK(lic_license_is_usable(l, &b));
    CHECK(b);
    OK(lic_license_release_covered(l, &b));
    CHECK(b);
    OK(lic_license_named_users(l, &u));
    CHECK(u == 25);
    OK(lic_license_concurrent_seats(l, &u));
    CHECK(u == 3);
    uint8_t line = 0;
    OK(lic_license_line(l, &line));
    CHECK(line == 1);
    /* Named as the catalog names it, here and in the description. */
    char line_name[16] = {0};
    size_t line_len = 0;
    OK(lic_license_line_name(l, line_name, sizeof line_name, &line_len));
    CHECK(line_len == 6 && strcmp(line_name, "expert") == 0);
    lic_kind kind = 0;
    OK(lic_license_kind(l, &kind));
    CHECK(kind == LIC_KIND_SUBSCRIPTION);
    OK(lic_license_id(l, &u));
    CHECK(u == 1001);
    OK(lic_license_revision(l, &u));
    CHECK(u == 1);
    struct lic_date d;
    OK(lic_license_issued(l, &d));
    CHECK(date_is(d, FIX_ISSUED_YEAR, FIX_ISSUED_MONTH, FIX_ISSUED_DAY));
    OK(lic_license_valid_from(l, &d));
    CHECK(date_is(d, FIX_ISSUED_YEAR, FIX_ISSUED_MONTH, FIX_ISSUED_DAY));
    OK(lic_license_expires(l, &d));
    CHECK(date_is(d, FIX_EXPIRES_YEAR, FIX_EXPIRES_MONTH, FIX_EXPIRES_DAY));
    OK(lic_license_maintenance_ends(l, &d));
    CHECK(date_is(d, FIX_EXPIRES_YEAR, FIX_EXPIRES_MONTH, FIX_EXPIRES_DAY));
    OK(lic_license_today(l, &d));
    CHECK(date_is(d, 2026, 11, 22));
    uint64_t mask = 0;
    OK(lic_license_modules(l, &mask));
    CHECK(mask == 0xB);
    OK(lic_license_has_module(l, S("crm"), &b));
    CHECK(b);
    OK(lic_license_has_module(l, S("planning"), &b));
    CHECK(!b);
    OK(lic_license_has_module(l, S("bi"), &b));
    CHECK(b);
    b = true;
    EXPECT(lic_license_has_module(l, S("BI"), &b), LIC_RESULT_UNKNOWN_MODULE);
    CHECK(b); /* untouched */
    CHECK(strstr(last_error(), "BI") != NULL);
    bool pending = true;
    uint32_t rev = 77;
    OK(lic_license_pending_change(l, &pending, &rev, &d));
    CHECK(!pending && rev == 77);

    /* The description, first asked for its length, then read. */
    size_t n = 0;
    char tiny[8];
    memset(tiny, 'x', sizeof tiny);
    EXPECT(lic_license_describe(l, tiny, sizeof tiny, &n), LIC_RESULT_BUFFER_TOO_SMALL);
    CHECK(n > sizeof tiny && tiny[0] == 'x' && tiny[7] == 'x');
    char *text = malloc(n + 1);
    size_t n2 = 0;
    CHECK(text != NULL);
    if (text != NULL) {
        OK(lic_license_describe(l, text, n + 1, &n2));
        CHECK(n2 == n && strlen(text) == n);
        CHECK(strstr(text, "crm") != NULL && strstr(text, "bi") != NULL);
        CHECK(strstr(text, "25") != NULL);
        CHECK(strstr(text, "product line expert") != NULL);
        free(text);
    }
    lic_license_free(l);
}

static void test_statuses(void) {
    uint32_t u = 0;
    lic_status status = 0;
    bool b = true;
    struct lic_date d = {1, 1, 1};

    lic_license *l = verify_fresh(FIX_CODE_VALID, FIX_NOW + (FIX_DAYS_TO_EXPIRY - 10) * FIX_DAY,
                                  LIC_RESULT_OK, __LINE__);
    if (l != NULL) {
        OK(lic_license_status(l, &status));
        CHECK(status == LIC_STATUS_EXPIRING_SOON);
        OK(lic_license_days_left(l, &u));
        CHECK(u == 10);
        lic_license_free(l);
    }
    l = verify_fresh(FIX_CODE_VALID, FIX_NOW + (FIX_DAYS_TO_EXPIRY + 3) * FIX_DAY, LIC_RESULT_OK,
                     __LINE__);
    if (l != NULL) {
        OK(lic_license_status(l, &status));
        CHECK(status == LIC_STATUS_IN_GRACE);
        OK(lic_license_days_left(l, &u));
        CHECK(u == 11);
        OK(lic_license_is_usable(l, &b));
        CHECK(b);
        lic_license_free(l);
    }
    l = verify_fresh(FIX_CODE_DEMO_MODE, FIX_NOW, LIC_RESULT_OK, __LINE__);
    if (l != NULL) {
        OK(lic_license_status(l, &status));
        CHECK(status == LIC_STATUS_DEMO_MODE);
        OK(lic_license_days_left(l, &u));
        CHECK(u == 0);
        OK(lic_license_named_users(l, &u));
        CHECK(u == 2);
        OK(lic_license_concurrent_seats(l, &u));
        CHECK(u == 2);
        lic_seat_pool *pool = NULL;
        OK(lic_seat_pool_new_for_license(l, 60, &pool));
        lic_seat_snapshot *snap = NULL;
        OK(lic_seat_pool_snapshot_at(pool, 0, &snap));
        uint32_t in_use = 9, limit = 9, peak = 9;
        OK(lic_seat_snapshot_usage(snap, &in_use, &limit, &peak));
        CHECK(in_use == 0 && limit == 2 && peak == 0);
        lic_seat_snapshot_free(snap);
        lic_seat_pool_free(pool);
        lic_license_free(l);
    }
    l = verify_fresh(FIX_CODE_EXPIRED, FIX_NOW, LIC_RESULT_OK, __LINE__);
    if (l != NULL) {
        OK(lic_license_status(l, &status));
        CHECK(status == LIC_STATUS_EXPIRED);
        OK(lic_license_is_usable(l, &b));
        CHECK(!b);
        OK(lic_license_named_users(l, &u));
        CHECK(u == 0);
        uint64_t mask = 1;
        OK(lic_license_modules(l, &mask));
        CHECK(mask == 0);
        OK(lic_license_has_module(l, S("crm"), &b));
        CHECK(!b);
        lic_license_free(l);
    }
    l = verify_fresh(FIX_CODE_NOT_YET_VALID, FIX_NOW, LIC_RESULT_OK, __LINE__);
    if (l != NULL) {
        OK(lic_license_status(l, &status));
        CHECK(status == LIC_STATUS_NOT_YET_VALID);
        OK(lic_license_days_left(l, &u));
        CHECK(u == 5);
        lic_license_free(l);
    }
    l = verify_fresh(FIX_CODE_PERPETUAL_UNCOVERED, FIX_NOW, LIC_RESULT_OK, __LINE__);
    if (l != NULL) {
        OK(lic_license_status(l, &status));
        CHECK(status == LIC_STATUS_VALID);
        OK(lic_license_days_left(l, &u));
        CHECK(u == LIC_UNLIMITED);
        OK(lic_license_release_covered(l, &b));
        CHECK(!b);
        OK(lic_license_is_usable(l, &b));
        CHECK(!b);
        OK(lic_license_expires(l, &d));
        CHECK(date_is(d, 0, 0, 0));
        lic_kind kind = 9;
        OK(lic_license_kind(l, &kind));
        CHECK(kind == LIC_KIND_FULL);
        lic_license_free(l);
    }
}

/* Each failure of a code, with a fresh verifier; the out-parameter stays untouched. */
static void expect_code_failure(const char *code, lic_result want, int line) {
    lic_verifier *v = verifier();
    lic_license *sentinel = (lic_license *)&seen;
    lic_license *l = sentinel;
    expect(lic_verifier_verify_text_at(v, S(code), FIX_NOW, &l), want, code, line);
    check(l == sentinel, "out_license untouched on failure", line);
    lic_verifier_free(v);
}

static void test_code_failures(void) {
    expect_code_failure("", LIC_RESULT_CODE_EMPTY, __LINE__);
    expect_code_failure(FIX_CODE_TOO_SHORT, LIC_RESULT_CODE_TOO_SHORT, __LINE__);
    expect_code_failure(FIX_CODE_TOO_LONG, LIC_RESULT_CODE_TOO_LONG, __LINE__);
    expect_code_failure(FIX_CODE_INVALID_CHARACTER, LIC_RESULT_INVALID_CHARACTER, __LINE__);
    CHECK(strstr(last_error(), "group 1") != NULL);
    expect_code_failure(FIX_CODE_TYPO, LIC_RESULT_TYPO, __LINE__);
    CHECK(strstr(last_error(), "group 3") != NULL);
    expect_code_failure(FIX_CODE_TYPO_UNLOCATED, LIC_RESULT_TYPO_UNLOCATED, __LINE__);
    expect_code_failure(FIX_CODE_FINGERPRINT, LIC_RESULT_NOT_A_LICENSE_CODE, __LINE__);
    expect_code_failure(FIX_CODE_UNSUPPORTED_VERSION, LIC_RESULT_UNSUPPORTED_VERSION, __LINE__);
    expect_code_failure(FIX_CODE_MALFORMED, LIC_RESULT_MALFORMED, __LINE__);
    expect_code_failure(FIX_CODE_NON_CANONICAL, LIC_RESULT_NON_CANONICAL, __LINE__);
    expect_code_failure(FIX_CODE_OTHER_KEY, LIC_RESULT_UNKNOWN_KEY, __LINE__);
    expect_code_failure(FIX_CODE_OTHER_PRODUCT, LIC_RESULT_WRONG_PRODUCT, __LINE__);
    expect_code_failure(FIX_CODE_OTHER_LICENSEE, LIC_RESULT_WRONG_LICENSEE, __LINE__);
    expect_code_failure(FIX_CODE_OTHER_DATABASE, LIC_RESULT_WRONG_DATABASE, __LINE__);
    expect_code_failure(FIX_CODE_BAD_SIGNATURE, LIC_RESULT_BAD_SIGNATURE, __LINE__);

    /* No database configured. */
    lic_verifier_config *c = config(false);
    lic_verifier *v = verifier_from(c);
    lic_license *l = NULL;
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l),
           LIC_RESULT_DATABASE_CODE_REQUIRED);
    lic_verifier_free(v);
    lic_verifier_config_free(c);

    /* Text that is not UTF-8. */
    v = verifier();
    EXPECT(lic_verifier_verify_text_at(v, "\xff\xfe", 2, FIX_NOW, &l), LIC_RESULT_INVALID_UTF8);
    lic_verifier_free(v);
}

static void test_config_failures(void) {
    lic_verifier_config *c = NULL;
    lic_date bad = {2026, 2, 30};
    lic_verifier_config *sentinel = (lic_verifier_config *)&seen;
    c = sentinel;
    EXPECT(lic_verifier_config_new(S(FIX_PRODUCT), bad, &c), LIC_RESULT_INVALID_DATE);
    CHECK(c == sentinel);
    lic_date build = {FIX_BUILD_YEAR, FIX_BUILD_MONTH, FIX_BUILD_DAY};
    OK(lic_verifier_config_new(S(FIX_PRODUCT), build, &c));

    /* No key, no licensee. */
    lic_verifier *v = NULL;
    EXPECT(lic_verifier_new(c, &v), LIC_RESULT_CONFIG);
    CHECK(v == NULL);
    /* An identity point: a small-order (weak) key. */
    unsigned char weak[32] = {1};
    EXPECT(lic_verifier_config_add_key(c, weak, sizeof weak), LIC_RESULT_INVALID_KEY);
    EXPECT(lic_verifier_config_add_key(c, FIX_VENDOR_KEY, 31), LIC_RESULT_INVALID_ARGUMENT);
    OK(lic_verifier_config_add_key(c, FIX_VENDOR_KEY, sizeof FIX_VENDOR_KEY));
    EXPECT(lic_verifier_new(c, &v), LIC_RESULT_CONFIG);
    CHECK(strstr(last_error(), "licensee") != NULL);

    char longname[300];
    memset(longname, 'a', sizeof longname);
    EXPECT(lic_verifier_config_set_licensee(c, longname, sizeof longname),
           LIC_RESULT_CONTEXT_TOO_LONG);
    EXPECT(lic_verifier_config_set_licensee(c, "ACME \xc3", 6), LIC_RESULT_INVALID_UTF8);
    OK(lic_verifier_config_set_licensee(c, S(FIX_LICENSEE)));
    OK(lic_verifier_config_set_database(c, S(FIX_DATABASE)));
    /* A state-file secret shorter than 16 bytes. */
    OK(lic_verifier_config_set_state_file(c, S(path_in_scratch("short.state")),
                                          (const uint8_t *)"short", 5));
    EXPECT(lic_verifier_new(c, &v), LIC_RESULT_CONFIG);
    OK(lic_verifier_config_set_state_file(c, S(path_in_scratch("ok.state")),
                                          (const uint8_t *)"0123456789abcdef", 16));
    OK(lic_verifier_config_set_notice_days(c, 45));
    OK(lic_verifier_config_set_clock_tolerance(c, 600));
    OK(lic_verifier_new(c, &v));
    lic_license *l = NULL;
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l));
    lic_license_free(l);
    lic_verifier_free(v);

    /* 65 module names. */
    for (int i = 0; i < 64; i++) {
        OK(lic_verifier_config_add_module(c, S("m")));
    }
    EXPECT(lic_verifier_config_add_module(c, S("m")), LIC_RESULT_INVALID_ARGUMENT);
    /* Tolerating unreadable components: any component, not a number beyond them. */
    OK(lic_verifier_config_tolerate_unreadable(c, LIC_COMPONENT_HARDWARE_UUID));
    OK(lic_verifier_config_tolerate_unreadable(c, LIC_COMPONENT_BOARD_SERIAL));
    EXPECT(lic_verifier_config_tolerate_unreadable(c, 6), LIC_RESULT_INVALID_ARGUMENT);
    EXPECT(lic_verifier_config_tolerate_unreadable(NULL, 1), LIC_RESULT_NULL_ARGUMENT);
    /* 17 line names. */
    for (int i = 0; i < 16; i++) {
        OK(lic_verifier_config_add_line(c, S("l")));
    }
    EXPECT(lic_verifier_config_add_line(c, S("l")), LIC_RESULT_INVALID_ARGUMENT);
    lic_verifier_config_free(c);
}

static void test_notice_days(void) {
    lic_verifier_config *c = config(true);
    OK(lic_verifier_config_set_notice_days(c, 45));
    lic_verifier *v = verifier_from(c);
    lic_license *l = NULL;
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW + (FIX_DAYS_TO_EXPIRY - 40) * FIX_DAY,
                                   &l));
    lic_status status = 0;
    OK(lic_license_status(l, &status));
    CHECK(status == LIC_STATUS_EXPIRING_SOON);
    lic_license_free(l);
    lic_verifier_free(v);
    lic_verifier_config_free(c);
}

static void test_files(void) {
    lic_verifier *v = verifier();
    lic_license *l = NULL;
    const char *path = path_in_scratch("license.txt");
    write_file(path, FIX_CODE_VALID, strlen(FIX_CODE_VALID));
    OK(lic_verifier_verify_file_at(v, S(path), FIX_NOW, &l));
    lic_license_free(l);
    l = NULL;
    EXPECT(lic_verifier_verify_file_at(v, S(path_in_scratch("missing.txt")), FIX_NOW, &l),
           LIC_RESULT_IO);
    CHECK(strstr(last_error(), "missing.txt") != NULL);
    const char *binary = path_in_scratch("binary.txt");
    write_file(binary, "\xff\xfe\x00\x01", 4);
    EXPECT(lic_verifier_verify_file_at(v, S(binary), FIX_NOW, &l), LIC_RESULT_NOT_TEXT);
    CHECK(l == NULL);
    lic_verifier_free(v);

    /* The system clock: a perpetual code signed long ago verifies at any later time. */
    v = verifier();
    const char *perpetual = path_in_scratch("perpetual.txt");
    write_file(perpetual, FIX_CODE_PERPETUAL_UNCOVERED, strlen(FIX_CODE_PERPETUAL_UNCOVERED));
    OK(lic_verifier_verify_file(v, S(perpetual), &l));
    lic_license_free(l);
    OK(lic_verifier_verify_text(v, S(FIX_CODE_PERPETUAL_UNCOVERED), &l));
    lic_license_free(l);
    OK(lic_verifier_check_clock(v));
    /* The system-clock variants of the list file and the reset. */
    struct lic_revocation_info info;
    EXPECT(lic_verifier_ingest_revocation_file(v, S(path_in_scratch("no-list.bin")), &info),
           LIC_RESULT_IO);
    OK(lic_verifier_reset_state(v));
    OK(lic_verifier_check_clock(v));
    lic_verifier_free(v);
}

static void test_guards_and_state_file(void) {
    const uint8_t secret[] = "an application secret, 16+ bytes";
    const char *state = path_in_scratch("guards.state");
    remove(state);
    lic_verifier_config *c = config(true);
    OK(lic_verifier_config_set_state_file(c, S(state), secret, sizeof secret - 1));
    lic_verifier *v = verifier_from(c);
    lic_license *l = NULL;
    bool first_run = false;
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_REV2), FIX_NOW, &l));
    /* No state file yet: the first run of this installation, said once. */
    OK(lic_license_first_run(l, &first_run));
    CHECK(first_run);
    lic_license_free(l);
    l = NULL;
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_REV2), FIX_NOW, &l));
    OK(lic_license_first_run(l, &first_run));
    CHECK(!first_run);
    lic_license_free(l);
    l = NULL;
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l), LIC_RESULT_SUPERSEDED);
    CHECK(strstr(last_error(), "revision 2") != NULL);
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_REV2), FIX_NOW - 2 * 3600, &l),
           LIC_RESULT_CLOCK_TURNED_BACK);
    OK(lic_verifier_check_clock_at(v, FIX_NOW + 3600));
    EXPECT(lic_verifier_check_clock_at(v, FIX_NOW - FIX_DAY), LIC_RESULT_CLOCK_TURNED_BACK);
    OK(lic_verifier_flush_state(v));
    lic_verifier_free(v);

    /* A second verifier on the same state file remembers both guards. */
    v = verifier_from(c);
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW + 3600, &l),
           LIC_RESULT_SUPERSEDED);
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_REV2), FIX_NOW - FIX_DAY, &l),
           LIC_RESULT_CLOCK_TURNED_BACK);
    /* Support resets the state: the old revision is accepted again. */
    OK(lic_verifier_reset_state_at(v, FIX_NOW));
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l));
    lic_license_free(l);
    lic_verifier_free(v);

    /* The file edited: refused until restored or reset. */
    FILE *f = fopen(state, "r+b");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fseek(f, -1, SEEK_END) == 0);
        int ch = fgetc(f);
        CHECK(fseek(f, -1, SEEK_END) == 0);
        fputc(ch ^ 0x01, f);
        fclose(f);
    }
    v = verifier_from(c);
    l = NULL;
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l), LIC_RESULT_STATE_CORRUPT);
    CHECK(l == NULL);
    EXPECT(lic_verifier_flush_state(v), LIC_RESULT_STATE_CORRUPT);
    OK(lic_verifier_reset_state_at(v, FIX_NOW));
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l));
    lic_license_free(l);
    lic_verifier_free(v);
    lic_verifier_config_free(c);

    /* The same file used by another installation (another licensee): foreign, not a first run. */
    c = config(true);
    OK(lic_verifier_config_set_licensee(c, S("Another Licensee Ltd")));
    OK(lic_verifier_config_set_state_file(c, S(state), secret, sizeof secret - 1));
    v = verifier_from(c);
    l = NULL;
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l), LIC_RESULT_STATE_FOREIGN);
    CHECK(l == NULL);
    CHECK(strstr(last_error(), "another installation") != NULL);
    lic_verifier_free(v);
    lic_verifier_config_free(c);

    /* A clock before the code's issue day (1970 on a fresh installation). */
    lic_license_free(verify_fresh(FIX_CODE_VALID, 0, LIC_RESULT_CLOCK_BEFORE_ISSUE, __LINE__));
    CHECK(strstr(last_error(), "before the day this license code was issued") != NULL);

    /* A directory where the state file should be: unreadable. */
    c = config(true);
    OK(lic_verifier_config_set_state_file(c, S(path_in_scratch("dir")), secret, sizeof secret - 1));
    v = verifier_from(c);
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l),
           LIC_RESULT_STATE_UNREADABLE);
    lic_verifier_free(v);
    lic_verifier_config_free(c);

    /* A folder that does not exist: the state cannot be written. */
    c = config(true);
    OK(lic_verifier_config_set_state_file(c, S(path_in_scratch("no/such/folder/x.state")), secret,
                                          sizeof secret - 1));
    v = verifier_from(c);
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l),
           LIC_RESULT_STATE_UNWRITABLE);
    lic_verifier_free(v);
    lic_verifier_config_free(c);
}

static void test_revocation(void) {
    lic_verifier *v = verifier();
    struct lic_revocation_info info;
    memset(&info, 0, sizeof info);
    bool installed = true;
    OK(lic_verifier_revocation_list(v, &installed, &info));
    CHECK(!installed && info.sequence == 0);
    lic_license *l = NULL;
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_REVOKED), FIX_NOW, &l));
    lic_license_free(l);
    l = NULL;

    OK(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_1, sizeof FIX_LIST_1, FIX_NOW, &info));
    CHECK(info.sequence == 1 && info.entries == 1);
    /* The installed list again changes nothing. */
    OK(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_1, sizeof FIX_LIST_1, FIX_NOW, &info));
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_REVOKED), FIX_NOW, &l), LIC_RESULT_REVOKED);
    CHECK(l == NULL);
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l));
    lic_license_free(l);
    l = NULL;

    const char *path = path_in_scratch("list2.bin");
    write_file(path, FIX_LIST_2, sizeof FIX_LIST_2);
    OK(lic_verifier_ingest_revocation_file_at(v, S(path), FIX_NOW, &info));
    CHECK(info.sequence == 2 && info.entries == 2);
    CHECK(info.issued.year == 2026 && info.expires.year >= 2026);
    OK(lic_verifier_revocation_list(v, &installed, &info));
    CHECK(installed && info.sequence == 2);
    struct lic_revocation_info untouched = info;
    EXPECT(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_1, sizeof FIX_LIST_1, FIX_NOW, &info),
           LIC_RESULT_REVOCATION_LIST_ROLLBACK);
    EXPECT(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_2_OTHER, sizeof FIX_LIST_2_OTHER,
                                                  FIX_NOW, &info),
           LIC_RESULT_REVOCATION_LIST_CONFLICT);
    EXPECT(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_EXPIRED, sizeof FIX_LIST_EXPIRED,
                                                  FIX_NOW, &info),
           LIC_RESULT_REVOCATION_LIST_EXPIRED);
    EXPECT(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_OTHER_KEY, sizeof FIX_LIST_OTHER_KEY,
                                                  FIX_NOW, &info),
           LIC_RESULT_REVOCATION_LIST_UNKNOWN_KEY);
    EXPECT(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_BAD_SIGNATURE,
                                                  sizeof FIX_LIST_BAD_SIGNATURE, FIX_NOW, &info),
           LIC_RESULT_REVOCATION_LIST_BAD_SIGNATURE);
    EXPECT(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_INVALID, sizeof FIX_LIST_INVALID,
                                                  FIX_NOW, &info),
           LIC_RESULT_INVALID_REVOCATION_LIST);
    EXPECT(lic_verifier_ingest_revocation_file_at(v, S(path_in_scratch("no-list.bin")), FIX_NOW,
                                                  &info),
           LIC_RESULT_IO);
    CHECK(untouched.sequence == info.sequence && untouched.entries == info.entries &&
          date_is(info.issued, untouched.issued.year, untouched.issued.month, untouched.issued.day));
    lic_verifier_free(v);

    /* The system clock: a list issued on the fixed "now" may be current or not. */
    v = verifier();
    lic_result r = lic_verifier_ingest_revocation_list(v, FIX_LIST_1, sizeof FIX_LIST_1, &info);
    CHECK(r == LIC_RESULT_OK || r == LIC_RESULT_REVOCATION_LIST_EXPIRED ||
          r == LIC_RESULT_CLOCK_TURNED_BACK);
    lic_verifier_free(v);
}

static lic_fingerprint *supplied_fingerprint(const char *os_id, const char *cpu) {
    lic_fingerprint *fp = NULL;
    bool added = false;
    OK(lic_fingerprint_new((const uint8_t *)FIX_PRODUCT, strlen(FIX_PRODUCT), &fp));
    OK(lic_fingerprint_add_component(fp, LIC_COMPONENT_OS_INSTALL_ID, S(os_id), &added));
    CHECK(added);
    OK(lic_fingerprint_add_component(fp, LIC_COMPONENT_CPU, S(cpu), &added));
    CHECK(added);
    OK(lic_fingerprint_add_mac(fp, FIX_MACHINE_MAC, sizeof FIX_MACHINE_MAC, &added));
    CHECK(added);
    return fp;
}

static void test_fingerprint(void) {
    lic_fingerprint *fp = supplied_fingerprint(FIX_MACHINE_OS_ID, FIX_MACHINE_CPU);
    char text[64];
    size_t n = 0;
    OK(lic_fingerprint_print(fp, 1, text, sizeof text, &n));
    CHECK(strcmp(text, FIX_FINGERPRINT_TEXT) == 0);
    EXPECT(lic_fingerprint_print(fp, 1, text, 4, &n), LIC_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == strlen(FIX_FINGERPRINT_TEXT));
    EXPECT(lic_fingerprint_print(fp, 4, text, sizeof text, &n), LIC_RESULT_INVALID_ARGUMENT);
    uint32_t mask = 0;
    OK(lic_fingerprint_known_components(fp, &mask));
    CHECK(mask == 0xD);
    bool added = true;
    /* The same value again, a placeholder, a locally administered MAC: nothing added. */
    OK(lic_fingerprint_add_component(fp, LIC_COMPONENT_CPU, S(FIX_MACHINE_CPU), &added));
    CHECK(!added);
    added = true;
    OK(lic_fingerprint_add_component(fp, LIC_COMPONENT_HARDWARE_UUID,
                                     S("00000000-0000-0000-0000-000000000000"), &added));
    CHECK(!added);
    const uint8_t local_mac[6] = {0x02, 0x42, 0xac, 0x11, 0x00, 0x02};
    added = true;
    OK(lic_fingerprint_add_mac(fp, local_mac, sizeof local_mac, &added));
    CHECK(!added);
    EXPECT(lic_fingerprint_add_mac(fp, local_mac, 5, &added), LIC_RESULT_INVALID_ARGUMENT);
    EXPECT(lic_fingerprint_add_component(fp, LIC_COMPONENT_NETWORK, S("x"), &added),
           LIC_RESULT_INVALID_ARGUMENT);
    EXPECT(lic_fingerprint_add_component(fp, 7, S("x"), &added), LIC_RESULT_INVALID_ARGUMENT);
    EXPECT(lic_fingerprint_add_component(fp, LIC_COMPONENT_CPU, "\xc0", 1, &added),
           LIC_RESULT_INVALID_UTF8);
    char report[1024];
    OK(lic_fingerprint_describe(fp, 1, report, sizeof report, &n));
    CHECK(strstr(report, FIX_FINGERPRINT_TEXT) != NULL);

    /* Machine-bound code on this machine, and on another one. */
    lic_verifier_config *c = config(false);
    OK(lic_verifier_config_set_fingerprint(c, fp));
    lic_fingerprint_free(fp);
    lic_verifier *v = verifier_from(c);
    lic_license *l = NULL;
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_MACHINE), FIX_NOW, &l));
    lic_license_free(l);
    lic_verifier_free(v);
    lic_fingerprint *other = supplied_fingerprint("another-install-id", "AMD EPYC 7763 | 64");
    OK(lic_verifier_config_set_fingerprint(c, other));
    lic_fingerprint_free(other);
    v = verifier_from(c);
    l = NULL;
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_CODE_MACHINE), FIX_NOW, &l), LIC_RESULT_WRONG_MACHINE);
    CHECK(strstr(last_error(), "changed") != NULL);
    lic_verifier_free(v);
    lic_verifier_config_free(c);

    /* Nothing known: no printable fingerprint. */
    lic_fingerprint *empty = NULL;
    OK(lic_fingerprint_new((const uint8_t *)"k", 1, &empty));
    EXPECT(lic_fingerprint_print(empty, 1, text, sizeof text, &n), LIC_RESULT_INVALID_LICENSE);
    lic_fingerprint_free(empty);

    /* Collected from this machine (some components may be unknown in a container). */
    lic_fingerprint *collected = NULL;
    OK(lic_fingerprint_collect((const uint8_t *)FIX_PRODUCT, strlen(FIX_PRODUCT), &collected));
    OK(lic_fingerprint_describe(collected, 1, report, sizeof report, &n));
    CHECK(strstr(report, "CPU") != NULL);
    lic_result r = lic_fingerprint_print(collected, 1, text, sizeof text, &n);
    CHECK(r == LIC_RESULT_OK || r == LIC_RESULT_INVALID_LICENSE);
    EXPECT(lic_fingerprint_add_component(collected, LIC_COMPONENT_CPU, S("x"), &added),
           LIC_RESULT_INVALID_ARGUMENT);
    lic_fingerprint_free(collected);

    /* Collecting at verification time, keyed with an explicit application key. */
    c = config(false);
    OK(lic_verifier_config_set_fingerprint_app_key(c, (const uint8_t *)"other-key", 9));
    v = verifier_from(c);
    r = lic_verifier_verify_text_at(v, S(FIX_CODE_MACHINE), FIX_NOW, &l);
    CHECK(r == LIC_RESULT_WRONG_MACHINE);
    seen[r < 1024 ? r : 0] = true;
    lic_verifier_free(v);
    lic_verifier_config_free(c);
}

static void test_seat_pool(void) {
    lic_seat_pool *pool = NULL;
    EXPECT(lic_seat_pool_new(2, 0, &pool), LIC_RESULT_INVALID_ARGUMENT);
    OK(lic_seat_pool_new(2, 60, &pool));
    struct lic_lease lease;
    OK(lic_seat_pool_acquire_at(pool, S("ann"), 0, &lease));
    CHECK(lease.in_use == 1 && !lease.renewed && lease.expires_ms == 60000);
    OK(lic_seat_pool_acquire_at(pool, S("ann"), 1000, &lease));
    CHECK(lease.in_use == 1 && lease.renewed);
    OK(lic_seat_pool_acquire_at(pool, S("bob"), 1000, &lease));
    CHECK(lease.in_use == 2);
    struct lic_lease untouched = lease;
    EXPECT(lic_seat_pool_acquire_at(pool, S("cyd"), 2000, &lease), LIC_RESULT_NO_SEAT_AVAILABLE);
    CHECK(untouched.expires_ms == lease.expires_ms && untouched.in_use == lease.in_use &&
          untouched.renewed == lease.renewed);
    CHECK(strstr(last_error(), "2") != NULL);
    /* Ann sends heartbeats, Bob crashed. */
    OK(lic_seat_pool_heartbeat_at(pool, S("ann"), 50000, &lease));
    CHECK(lease.expires_ms == 110000);
    EXPECT(lic_seat_pool_heartbeat_at(pool, S("bob"), 61000, &lease), LIC_RESULT_SEAT_LEASE_LOST);
    OK(lic_seat_pool_acquire_at(pool, S("cyd"), 61000, &lease));
    CHECK(lease.in_use == 2);

    lic_seat_snapshot *snap = NULL;
    OK(lic_seat_pool_snapshot_at(pool, 61000, &snap));
    uint32_t in_use = 0, limit = 0, peak = 0;
    OK(lic_seat_snapshot_usage(snap, &in_use, &limit, &peak));
    CHECK(in_use == 2 && limit == 2 && peak == 2);
    char name[16];
    size_t n = 0;
    uint64_t since = 0, expires = 0;
    OK(lic_seat_snapshot_holder(snap, 0, name, sizeof name, &n, &since, &expires));
    CHECK(strcmp(name, "ann") == 0 && since == 0 && expires == 110000);
    OK(lic_seat_snapshot_holder(snap, 1, name, sizeof name, &n, &since, &expires));
    CHECK(strcmp(name, "cyd") == 0 && since == 61000 && expires == 121000);
    since = 5;
    EXPECT(lic_seat_snapshot_holder(snap, 1, name, 3, &n, &since, &expires),
           LIC_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == 3 && since == 5);
    EXPECT(lic_seat_snapshot_holder(snap, 2, name, sizeof name, &n, &since, &expires),
           LIC_RESULT_INVALID_ARGUMENT);
    lic_seat_snapshot_free(snap);

    bool held = false;
    OK(lic_seat_pool_release(pool, S("ann"), &held));
    CHECK(held);
    OK(lic_seat_pool_release(pool, S("ann"), &held));
    CHECK(!held);
    uint32_t over = 9;
    OK(lic_seat_pool_set_limit(pool, 0, &over));
    CHECK(over == 1);
    EXPECT(lic_seat_pool_heartbeat_at(pool, S("cyd"), 62000, &lease), LIC_RESULT_SEAT_LEASE_LOST);
    EXPECT(lic_seat_pool_acquire_at(pool, S("dan"), 62000, &lease), LIC_RESULT_NO_SEAT_AVAILABLE);
    OK(lic_seat_pool_set_limit(pool, LIC_UNLIMITED, &over));
    CHECK(over == 0);
    OK(lic_seat_pool_acquire_at(pool, S("dan"), 62000, &lease));
    EXPECT(lic_seat_pool_acquire_at(pool, "\xff", 1, 62000, &lease), LIC_RESULT_INVALID_UTF8);

    /* The monotonic clock. */
    OK(lic_seat_pool_acquire(pool, S("eve"), &lease));
    OK(lic_seat_pool_heartbeat(pool, S("eve"), &lease));
    OK(lic_seat_pool_snapshot(pool, &snap));
    OK(lic_seat_snapshot_usage(snap, &in_use, &limit, &peak));
    CHECK(limit == LIC_UNLIMITED && in_use >= 1);
    lic_seat_snapshot_free(snap);
    lic_seat_pool_free(pool);
}

/* NULL for every pointer argument of every function. */
/* The seat-server client without a server: argument checks, offline token checks, and a
 * held (borrowed) seat kept while the server cannot be reached. tests/seat_client.rs runs
 * the example against a real server. */
static void test_seat_client(void) {
    lic_seat_client *c = NULL;
    EXPECT(lic_seat_client_new(S("http://127.0.0.1:1"), S("cad"), S("ws-1"), FIX_SEAT_KEY, 31, &c),
           LIC_RESULT_INVALID_ARGUMENT);
    EXPECT(lic_seat_client_new(S("ftp://127.0.0.1:1"), S("cad"), S("ws-1"), FIX_SEAT_KEY, 32, &c),
           LIC_RESULT_INVALID_ARGUMENT);
    EXPECT(lic_seat_client_new(S("http://127.0.0.1:1"), S("cad"), NULL, 0, FIX_SEAT_KEY, 32, &c),
           LIC_RESULT_NULL_ARGUMENT);
    CHECK(c == NULL);
    OK(lic_seat_client_new(S("http://127.0.0.1:1"), S("cad"), S("ws-1"), FIX_SEAT_KEY, sizeof FIX_SEAT_KEY, &c));
    OK(lic_seat_client_set_identity(c, S("anna"), S("ws-1.acme.lan")));
    /* Servers to fail over to: checked like the first one; tests/seat_client.rs fails over
     * from a server that is down to one that answers. */
    EXPECT(lic_seat_client_add_server(NULL, S("http://127.0.0.1:2")), LIC_RESULT_NULL_ARGUMENT);
    EXPECT(lic_seat_client_add_server(c, NULL, 5), LIC_RESULT_NULL_ARGUMENT);
    EXPECT(lic_seat_client_add_server(c, S("ftp://127.0.0.1:2")), LIC_RESULT_INVALID_ARGUMENT);
    EXPECT(lic_seat_client_add_server(c, "http://\xff", 8), LIC_RESULT_INVALID_UTF8);
    OK(lic_seat_client_add_server(c, S("http://127.0.0.1:2/")));
    lic_seat_lease lease, untouched;
    memset(&lease, 0x5a, sizeof lease);
    untouched = lease;
    bool held = true, removed = true;
    size_t n = 0;
    EXPECT(lic_seat_client_heartbeat(c, &lease), LIC_RESULT_SEAT_NO_LEASE);
    EXPECT(lic_seat_client_release(c, &removed), LIC_RESULT_SEAT_NO_LEASE);
    EXPECT(lic_seat_client_token(c, NULL, 0, &n), LIC_RESULT_SEAT_NO_LEASE);
    EXPECT(lic_seat_client_acquire(c, 0, &lease), LIC_RESULT_SEAT_SERVER_UNREACHABLE);
    EXPECT(lic_seat_client_adopt_token(c, S("not a lease token"), &lease), LIC_RESULT_SEAT_TOKEN_INVALID);
    EXPECT(lic_seat_client_adopt_token(c, S(FIX_SEAT_TOKEN_EXPIRED), &lease), LIC_RESULT_SEAT_TOKEN_EXPIRED);
    EXPECT(lic_seat_client_adopt_token(c, S(FIX_SEAT_TOKEN_OTHER_SERVER), &lease), LIC_RESULT_SEAT_SERVER_UNLICENSED);
    CHECK(memcmp(&lease, &untouched, sizeof lease) == 0);
    CHECK(removed);
    OK(lic_seat_client_holds_seat(c, &held));
    CHECK(!held);

    /* A borrowed seat kept from an earlier run: held while the server is away. */
    OK(lic_seat_client_adopt_token(c, S(FIX_SEAT_TOKEN_LIVE), &lease));
    CHECK(lease.borrowed && !lease.server_unreachable);
    OK(lic_seat_client_holds_seat(c, &held));
    CHECK(held);
    OK(lic_seat_client_heartbeat(c, &lease));
    CHECK(lease.server_unreachable);
    EXPECT(lic_seat_client_token(c, NULL, 0, &n), LIC_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == strlen(FIX_SEAT_TOKEN_LIVE));
    char token[1024];
    OK(lic_seat_client_token(c, token, sizeof token, &n));
    CHECK(strcmp(token, FIX_SEAT_TOKEN_LIVE) == 0);
    EXPECT(lic_seat_client_release(c, &removed), LIC_RESULT_SEAT_SERVER_UNREACHABLE);
    EXPECT(lic_seat_client_acquire(NULL, 0, &lease), LIC_RESULT_NULL_ARGUMENT);
    EXPECT(lic_seat_client_heartbeat(c, NULL), LIC_RESULT_NULL_ARGUMENT);
    lic_seat_client_free(c);
    lic_seat_client_free(NULL);
}

static void test_null_arguments(void) {
    const lic_result N = LIC_RESULT_NULL_ARGUMENT;
    lic_verifier_config *c = config(true);
    lic_verifier *v = verifier_from(c);
    lic_license *l = NULL;
    OK(lic_verifier_verify_text_at(v, S(FIX_CODE_VALID), FIX_NOW, &l));
    lic_fingerprint *fp = supplied_fingerprint(FIX_MACHINE_OS_ID, FIX_MACHINE_CPU);
    lic_seat_pool *pool = NULL;
    OK(lic_seat_pool_new(2, 60, &pool));
    lic_seat_snapshot *snap = NULL;
    OK(lic_seat_pool_snapshot_at(pool, 0, &snap));
    lic_date build = {FIX_BUILD_YEAR, FIX_BUILD_MONTH, FIX_BUILD_DAY};
    const uint8_t *key = FIX_VENDOR_KEY;
    char buf[64];
    size_t n = 0;
    bool b = false;
    uint32_t u = 0;
    uint64_t u64 = 0;
    struct lic_date d;
    lic_status st;
    lic_kind kind;
    uint8_t line;
    struct lic_lease lease;
    struct lic_revocation_info info;
    lic_verifier_config *c2 = NULL;
    lic_verifier *v2 = NULL;
    lic_license *l2 = NULL;
    lic_fingerprint *fp2 = NULL;
    lic_seat_pool *pool2 = NULL;
    lic_seat_snapshot *snap2 = NULL;

    /* general */
    EXPECT(lic_result_message(0, NULL, 1, &n), N);
    EXPECT(lic_result_message(0, buf, sizeof buf, NULL), N);
    EXPECT(lic_last_error_message(NULL, 1, &n), N);
    EXPECT(lic_last_error_message(buf, sizeof buf, NULL), N);
    /* config */
    EXPECT(lic_verifier_config_new(NULL, 0, build, &c2), N);
    EXPECT(lic_verifier_config_new(S(FIX_PRODUCT), build, NULL), N);
    EXPECT(lic_verifier_config_add_key(NULL, key, 32), N);
    EXPECT(lic_verifier_config_add_key(c, NULL, 32), N);
    EXPECT(lic_verifier_config_set_licensee(NULL, S("x")), N);
    EXPECT(lic_verifier_config_set_licensee(c, NULL, 1), N);
    EXPECT(lic_verifier_config_set_database(NULL, S("x")), N);
    EXPECT(lic_verifier_config_set_database(c, NULL, 1), N);
    EXPECT(lic_verifier_config_set_fingerprint(NULL, fp), N);
    EXPECT(lic_verifier_config_set_fingerprint(c, NULL), N);
    EXPECT(lic_verifier_config_set_fingerprint_app_key(NULL, key, 1), N);
    EXPECT(lic_verifier_config_set_fingerprint_app_key(c, NULL, 1), N);
    EXPECT(lic_verifier_config_add_module(NULL, S("x")), N);
    EXPECT(lic_verifier_config_add_module(c, NULL, 1), N);
    EXPECT(lic_verifier_config_add_line(NULL, S("x")), N);
    EXPECT(lic_verifier_config_add_line(c, NULL, 1), N);
    EXPECT(lic_verifier_config_set_state_file(NULL, S("x"), key, 16), N);
    EXPECT(lic_verifier_config_set_state_file(c, NULL, 1, key, 16), N);
    EXPECT(lic_verifier_config_set_state_file(c, S("x"), NULL, 16), N);
    EXPECT(lic_verifier_config_set_notice_days(NULL, 1), N);
    EXPECT(lic_verifier_config_set_clock_tolerance(NULL, 1), N);
    /* verifier */
    EXPECT(lic_verifier_new(NULL, &v2), N);
    EXPECT(lic_verifier_new(c, NULL), N);
    EXPECT(lic_verifier_verify_text(NULL, S("x"), &l2), N);
    EXPECT(lic_verifier_verify_text(v, NULL, 1, &l2), N);
    EXPECT(lic_verifier_verify_text(v, S("x"), NULL), N);
    EXPECT(lic_verifier_verify_text_at(NULL, S("x"), FIX_NOW, &l2), N);
    EXPECT(lic_verifier_verify_text_at(v, NULL, 1, FIX_NOW, &l2), N);
    EXPECT(lic_verifier_verify_text_at(v, S("x"), FIX_NOW, NULL), N);
    EXPECT(lic_verifier_verify_file(NULL, S("x"), &l2), N);
    EXPECT(lic_verifier_verify_file(v, NULL, 1, &l2), N);
    EXPECT(lic_verifier_verify_file(v, S("x"), NULL), N);
    EXPECT(lic_verifier_verify_file_at(NULL, S("x"), FIX_NOW, &l2), N);
    EXPECT(lic_verifier_verify_file_at(v, NULL, 1, FIX_NOW, &l2), N);
    EXPECT(lic_verifier_verify_file_at(v, S("x"), FIX_NOW, NULL), N);
    EXPECT(lic_verifier_ingest_revocation_list(NULL, FIX_LIST_1, sizeof FIX_LIST_1, &info), N);
    EXPECT(lic_verifier_ingest_revocation_list(v, NULL, 1, &info), N);
    EXPECT(lic_verifier_ingest_revocation_list(v, FIX_LIST_1, sizeof FIX_LIST_1, NULL), N);
    EXPECT(lic_verifier_ingest_revocation_list_at(NULL, FIX_LIST_1, 1, FIX_NOW, &info), N);
    EXPECT(lic_verifier_ingest_revocation_list_at(v, NULL, 1, FIX_NOW, &info), N);
    EXPECT(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_1, 1, FIX_NOW, NULL), N);
    EXPECT(lic_verifier_ingest_revocation_file_at(NULL, S("x"), FIX_NOW, &info), N);
    EXPECT(lic_verifier_ingest_revocation_file_at(v, NULL, 1, FIX_NOW, &info), N);
    EXPECT(lic_verifier_ingest_revocation_file_at(v, S("x"), FIX_NOW, NULL), N);
    EXPECT(lic_verifier_ingest_revocation_file(NULL, S("x"), &info), N);
    EXPECT(lic_verifier_ingest_revocation_file(v, NULL, 1, &info), N);
    EXPECT(lic_verifier_ingest_revocation_file(v, S("x"), NULL), N);
    EXPECT(lic_verifier_revocation_list(NULL, &b, &info), N);
    EXPECT(lic_verifier_revocation_list(v, NULL, &info), N);
    EXPECT(lic_verifier_revocation_list(v, &b, NULL), N);
    EXPECT(lic_verifier_check_clock_at(NULL, FIX_NOW), N);
    EXPECT(lic_verifier_check_clock(NULL), N);
    EXPECT(lic_verifier_flush_state(NULL), N);
    EXPECT(lic_verifier_reset_state_at(NULL, FIX_NOW), N);
    EXPECT(lic_verifier_reset_state(NULL), N);
    /* license */
    EXPECT(lic_license_status(NULL, &st), N);
    EXPECT(lic_license_status(l, NULL), N);
    EXPECT(lic_license_days_left(NULL, &u), N);
    EXPECT(lic_license_days_left(l, NULL), N);
    EXPECT(lic_license_is_usable(NULL, &b), N);
    EXPECT(lic_license_is_usable(l, NULL), N);
    EXPECT(lic_license_first_run(NULL, &b), N);
    EXPECT(lic_license_first_run(l, NULL), N);
    EXPECT(lic_license_release_covered(NULL, &b), N);
    EXPECT(lic_license_release_covered(l, NULL), N);
    EXPECT(lic_license_named_users(NULL, &u), N);
    EXPECT(lic_license_named_users(l, NULL), N);
    EXPECT(lic_license_concurrent_seats(NULL, &u), N);
    EXPECT(lic_license_concurrent_seats(l, NULL), N);
    EXPECT(lic_license_line(NULL, &line), N);
    EXPECT(lic_license_line(l, NULL), N);
    EXPECT(lic_license_kind(NULL, &kind), N);
    EXPECT(lic_license_kind(l, NULL), N);
    EXPECT(lic_license_id(NULL, &u), N);
    EXPECT(lic_license_id(l, NULL), N);
    EXPECT(lic_license_revision(NULL, &u), N);
    EXPECT(lic_license_revision(l, NULL), N);
    EXPECT(lic_license_issued(NULL, &d), N);
    EXPECT(lic_license_issued(l, NULL), N);
    EXPECT(lic_license_valid_from(NULL, &d), N);
    EXPECT(lic_license_valid_from(l, NULL), N);
    EXPECT(lic_license_expires(NULL, &d), N);
    EXPECT(lic_license_expires(l, NULL), N);
    EXPECT(lic_license_maintenance_ends(NULL, &d), N);
    EXPECT(lic_license_maintenance_ends(l, NULL), N);
    EXPECT(lic_license_today(NULL, &d), N);
    EXPECT(lic_license_today(l, NULL), N);
    EXPECT(lic_license_modules(NULL, &u64), N);
    EXPECT(lic_license_modules(l, NULL), N);
    EXPECT(lic_license_has_module(NULL, S("crm"), &b), N);
    EXPECT(lic_license_has_module(l, NULL, 3, &b), N);
    EXPECT(lic_license_has_module(l, S("crm"), NULL), N);
    EXPECT(lic_license_pending_change(NULL, &b, &u, &d), N);
    EXPECT(lic_license_pending_change(l, NULL, &u, &d), N);
    EXPECT(lic_license_pending_change(l, &b, NULL, &d), N);
    EXPECT(lic_license_pending_change(l, &b, &u, NULL), N);
    EXPECT(lic_license_describe(NULL, buf, sizeof buf, &n), N);
    EXPECT(lic_license_line_name(NULL, buf, sizeof buf, &n), N);
    EXPECT(lic_license_describe(l, NULL, sizeof buf, &n), N);
    EXPECT(lic_license_describe(l, buf, sizeof buf, NULL), N);
    /* fingerprint */
    EXPECT(lic_fingerprint_collect(NULL, 1, &fp2), N);
    EXPECT(lic_fingerprint_collect(key, 1, NULL), N);
    EXPECT(lic_fingerprint_new(NULL, 1, &fp2), N);
    EXPECT(lic_fingerprint_new(key, 1, NULL), N);
    EXPECT(lic_fingerprint_add_component(NULL, 0, S("x"), &b), N);
    EXPECT(lic_fingerprint_add_component(fp, 0, NULL, 1, &b), N);
    EXPECT(lic_fingerprint_add_component(fp, 0, S("x"), NULL), N);
    EXPECT(lic_fingerprint_add_mac(NULL, FIX_MACHINE_MAC, 6, &b), N);
    EXPECT(lic_fingerprint_add_mac(fp, NULL, 6, &b), N);
    EXPECT(lic_fingerprint_add_mac(fp, FIX_MACHINE_MAC, 6, NULL), N);
    EXPECT(lic_fingerprint_known_components(NULL, &u), N);
    EXPECT(lic_fingerprint_known_components(fp, NULL), N);
    EXPECT(lic_fingerprint_print(NULL, 1, buf, sizeof buf, &n), N);
    EXPECT(lic_fingerprint_print(fp, 1, NULL, sizeof buf, &n), N);
    EXPECT(lic_fingerprint_print(fp, 1, buf, sizeof buf, NULL), N);
    EXPECT(lic_fingerprint_describe(NULL, 1, buf, sizeof buf, &n), N);
    EXPECT(lic_fingerprint_describe(fp, 1, NULL, sizeof buf, &n), N);
    EXPECT(lic_fingerprint_describe(fp, 1, buf, sizeof buf, NULL), N);
    /* seat pool */
    EXPECT(lic_seat_pool_new(1, 60, NULL), N);
    EXPECT(lic_seat_pool_new_for_license(NULL, 60, &pool2), N);
    EXPECT(lic_seat_pool_new_for_license(l, 60, NULL), N);
    EXPECT(lic_seat_pool_acquire(NULL, S("a"), &lease), N);
    EXPECT(lic_seat_pool_acquire(pool, NULL, 1, &lease), N);
    EXPECT(lic_seat_pool_acquire(pool, S("a"), NULL), N);
    EXPECT(lic_seat_pool_acquire_at(NULL, S("a"), 0, &lease), N);
    EXPECT(lic_seat_pool_acquire_at(pool, NULL, 1, 0, &lease), N);
    EXPECT(lic_seat_pool_acquire_at(pool, S("a"), 0, NULL), N);
    EXPECT(lic_seat_pool_heartbeat(NULL, S("a"), &lease), N);
    EXPECT(lic_seat_pool_heartbeat(pool, NULL, 1, &lease), N);
    EXPECT(lic_seat_pool_heartbeat(pool, S("a"), NULL), N);
    EXPECT(lic_seat_pool_heartbeat_at(NULL, S("a"), 0, &lease), N);
    EXPECT(lic_seat_pool_heartbeat_at(pool, NULL, 1, 0, &lease), N);
    EXPECT(lic_seat_pool_heartbeat_at(pool, S("a"), 0, NULL), N);
    EXPECT(lic_seat_pool_release(NULL, S("a"), &b), N);
    EXPECT(lic_seat_pool_release(pool, NULL, 1, &b), N);
    EXPECT(lic_seat_pool_release(pool, S("a"), NULL), N);
    EXPECT(lic_seat_pool_set_limit(NULL, 1, &u), N);
    EXPECT(lic_seat_pool_set_limit(pool, 1, NULL), N);
    EXPECT(lic_seat_pool_snapshot(NULL, &snap2), N);
    EXPECT(lic_seat_pool_snapshot(pool, NULL), N);
    EXPECT(lic_seat_pool_snapshot_at(NULL, 0, &snap2), N);
    EXPECT(lic_seat_pool_snapshot_at(pool, 0, NULL), N);
    EXPECT(lic_seat_snapshot_usage(NULL, &u, &u, &u), N);
    EXPECT(lic_seat_snapshot_usage(snap, NULL, &u, &u), N);
    EXPECT(lic_seat_snapshot_usage(snap, &u, NULL, &u), N);
    EXPECT(lic_seat_snapshot_usage(snap, &u, &u, NULL), N);
    EXPECT(lic_seat_snapshot_holder(NULL, 0, buf, sizeof buf, &n, &u64, &u64), N);
    EXPECT(lic_seat_snapshot_holder(snap, 0, NULL, sizeof buf, &n, &u64, &u64), N);
    EXPECT(lic_seat_snapshot_holder(snap, 0, buf, sizeof buf, NULL, &u64, &u64), N);
    EXPECT(lic_seat_snapshot_holder(snap, 0, buf, sizeof buf, &n, NULL, &u64), N);
    EXPECT(lic_seat_snapshot_holder(snap, 0, buf, sizeof buf, &n, &u64, NULL), N);
    /* Nothing was created by any of these calls. */
    CHECK(c2 == NULL && v2 == NULL && l2 == NULL && fp2 == NULL && pool2 == NULL && snap2 == NULL);
    /* _free(NULL) does nothing. */
    lic_verifier_config_free(NULL);
    lic_verifier_free(NULL);
    lic_license_free(NULL);
    lic_fingerprint_free(NULL);
    lic_seat_pool_free(NULL);
    lic_seat_snapshot_free(NULL);
    CHECK(lic_version() != NULL);

    lic_seat_snapshot_free(snap);
    lic_seat_pool_free(pool);
    lic_fingerprint_free(fp);
    lic_license_free(l);
    lic_verifier_free(v);
    lic_verifier_config_free(c);
}

/* Names of codes and statuses; the diagnostic callback. */
struct captured {
    int lines;
    int accepted;
    int refused;
    lic_log_level last_level;
    char last[512];
};

static void capture(void *user_data, lic_log_level level, const char *message, size_t len) {
    struct captured *c = user_data;
    c->lines++;
    c->last_level = level;
    CHECK(strlen(message) == len);
    snprintf(c->last, sizeof c->last, "%s", message);
    if (strstr(message, "license 1001 revision 1 accepted") != NULL) c->accepted++;
    if (strstr(message, "refused") != NULL) c->refused++;
    /* Never the code text or the key. */
    CHECK(strstr(message, FIX_CODE_VALID) == NULL);
}

static void test_names_and_diagnostics(void) {
    CHECK(strcmp(lic_result_name(LIC_RESULT_TYPO), "LIC_RESULT_TYPO") == 0);
    CHECK(strcmp(lic_result_name(LIC_RESULT_OK), "LIC_RESULT_OK") == 0);
    CHECK(lic_result_name(9999) == NULL);
    for (size_t i = 0; i < sizeof FIX_ALL_RESULTS / sizeof FIX_ALL_RESULTS[0]; i++) {
        const char *name = lic_result_name(FIX_ALL_RESULTS[i].code);
        CHECK(name != NULL && strcmp(name, FIX_ALL_RESULTS[i].name) == 0);
    }
    CHECK(strcmp(lic_status_name(LIC_STATUS_IN_GRACE), "LIC_STATUS_IN_GRACE") == 0);
    CHECK(strcmp(lic_status_name(LIC_STATUS_VALID), "LIC_STATUS_VALID") == 0);
    CHECK(lic_status_name(0) == NULL);

    struct captured c;
    memset(&c, 0, sizeof c);
    EXPECT(lic_set_diagnostic_callback(capture, &c, 0), LIC_RESULT_INVALID_ARGUMENT);
    EXPECT(lic_set_diagnostic_callback(capture, &c, 5), LIC_RESULT_INVALID_ARGUMENT);
    OK(lic_set_diagnostic_callback(capture, &c, LIC_LOG_LEVEL_INFO));
    lic_license_free(verify_fresh(FIX_CODE_VALID, FIX_NOW, LIC_RESULT_OK, __LINE__));
    CHECK(c.accepted == 1);
    CHECK(c.last_level == LIC_LOG_LEVEL_INFO);
    lic_license_free(verify_fresh(FIX_CODE_OTHER_KEY, FIX_NOW, LIC_RESULT_UNKNOWN_KEY, __LINE__));
    CHECK(c.refused == 1);
    CHECK(strstr(c.last, "refused") != NULL);
    /* Removed: no more lines. */
    OK(lic_set_diagnostic_callback(NULL, NULL, LIC_LOG_LEVEL_DEBUG));
    int before = c.lines;
    lic_license_free(verify_fresh(FIX_CODE_VALID, FIX_NOW, LIC_RESULT_OK, __LINE__));
    CHECK(c.lines == before);
}

/* Database codes: a new one per call, canonical, read back from sloppy typing. */
static void test_database_codes(void) {
    char a[64], b[64], back[64];
    size_t na = 0, nb = 0, nback = 0;
    OK(lic_database_code_new(a, sizeof a, &na));
    OK(lic_database_code_new(b, sizeof b, &nb));
    CHECK(na == 26 && strlen(a) == 26 && strncmp(a, "DB-", 3) == 0);
    CHECK(strcmp(a, b) != 0);
    OK(lic_database_code_normalize(S(a), back, sizeof back, &nback));
    CHECK(nback == 26 && strcmp(back, a) == 0);
    /* Lower case, no label, spaces instead of dashes. */
    char typed[64];
    size_t j = 0;
    for (size_t i = 3; a[i] != '\0'; i++) {
        char c = a[i] == '-' ? ' ' : a[i];
        typed[j++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    typed[j] = '\0';
    OK(lic_database_code_normalize(S(typed), back, sizeof back, &nback));
    CHECK(strcmp(back, a) == 0);
    /* A typo in group 2: refused, the group named, the buffer untouched. */
    char typo[64];
    memcpy(typo, a, 27);
    typo[10] = typo[10] == '7' ? '8' : '7';
    char keep[8] = "keep";
    size_t nkeep = 99;
    EXPECT(lic_database_code_normalize(S(typo), keep, sizeof keep, &nkeep), LIC_RESULT_DATABASE_CODE_INVALID);
    CHECK(strstr(last_error(), "group 2") != NULL);
    CHECK(strcmp(keep, "keep") == 0 && nkeep == 99);
    EXPECT(lic_database_code_normalize(S("DB-7F3A-22C1"), back, sizeof back, &nback),
           LIC_RESULT_DATABASE_CODE_INVALID);
    CHECK(strstr(last_error(), "20 characters") != NULL);
    /* Too small a buffer: the length needed is reported. */
    char small[8];
    size_t need = 0;
    EXPECT(lic_database_code_new(small, sizeof small, &need), LIC_RESULT_BUFFER_TOO_SMALL);
    CHECK(need == 26);
    EXPECT(lic_database_code_new(a, sizeof a, NULL), LIC_RESULT_NULL_ARGUMENT);
    EXPECT(lic_database_code_normalize(NULL, 3, back, sizeof back, &nback), LIC_RESULT_NULL_ARGUMENT);
}

static void check_every_code_was_seen(void) {
    for (size_t i = 0; i < sizeof FIX_ALL_RESULTS / sizeof FIX_ALL_RESULTS[0]; i++) {
        lic_result code = FIX_ALL_RESULTS[i].code;
        if (code == LIC_RESULT_OK || !FIX_ALL_RESULTS[i].reachable) {
            continue;
        }
        if (code < 1024 && seen[code]) {
            passed++;
        } else {
            failed++;
            fprintf(stderr, "result code %s was never returned by any test\n", FIX_ALL_RESULTS[i].name);
        }
    }
}

/* Reseller's codes: verify like any code, report the reseller; each delegation failure
 * has its own number. */
static void test_reseller_codes(void) {
    lic_license *l = verify_fresh(FIX_RESELLER_CODE_VALID, FIX_NOW, LIC_RESULT_OK, __LINE__);
    char name[32];
    size_t n = 0;
    uint32_t depth = 99;
    OK(lic_license_reseller(l, name, sizeof name, &n, &depth));
    CHECK(n == 7 && depth == 1 && strcmp(name, "Contoso") == 0);
    lic_license_free(l);
    l = verify_fresh(FIX_CODE_VALID, FIX_NOW, LIC_RESULT_OK, __LINE__);
    OK(lic_license_reseller(l, name, sizeof name, &n, &depth));
    CHECK(n == 0 && depth == 0 && name[0] == '\0');
    lic_license_free(l);
    expect_code_failure(FIX_RESELLER_CODE_UNKNOWN_VENDOR, LIC_RESULT_CERTIFICATE_UNKNOWN_VENDOR_KEY,
                        __LINE__);
    expect_code_failure(FIX_RESELLER_CODE_WRONG_PRODUCT, LIC_RESULT_CERTIFICATE_WRONG_PRODUCT, __LINE__);
    expect_code_failure(FIX_RESELLER_CODE_BAD_CERTIFICATE, LIC_RESULT_CERTIFICATE_BAD_SIGNATURE,
                        __LINE__);
    expect_code_failure(FIX_RESELLER_CODE_NOT_SIGNED, LIC_RESULT_NOT_SIGNED_BY_RESELLER, __LINE__);
    expect_code_failure(FIX_RESELLER_CODE_OUTSIDE, LIC_RESULT_OUTSIDE_FRAME, __LINE__);
    expect_code_failure(FIX_RESELLER_CODE_WIDENING, LIC_RESULT_CERTIFICATE_WIDENING, __LINE__);
    lic_verifier *v = verifier();
    struct lic_revocation_info info;
    OK(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_CERTIFICATE_7, sizeof FIX_LIST_CERTIFICATE_7,
                                              FIX_NOW, &info));
    l = NULL;
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_RESELLER_CODE_VALID), FIX_NOW, &l),
           LIC_RESULT_CERTIFICATE_REVOKED);
    CHECK(l == NULL);
    lic_verifier_free(v);
    /* A version-3 list revokes the sub-reseller Fabrikam by (7, 1): its code is refused
     * with the same result as a revoked certificate; Contoso's own code stays valid. */
    l = verify_fresh(FIX_SUB_RESELLER_CODE_VALID, FIX_NOW, LIC_RESULT_OK, __LINE__);
    OK(lic_license_reseller(l, name, sizeof name, &n, &depth));
    CHECK(n == 8 && depth == 2 && strcmp(name, "Fabrikam") == 0);
    lic_license_free(l);
    v = verifier();
    OK(lic_verifier_ingest_revocation_list_at(v, FIX_LIST_SUB_RESELLER_7_1, sizeof FIX_LIST_SUB_RESELLER_7_1,
                                              FIX_NOW, &info));
    CHECK(info.sequence == 1);
    l = NULL;
    EXPECT(lic_verifier_verify_text_at(v, S(FIX_SUB_RESELLER_CODE_VALID), FIX_NOW, &l),
           LIC_RESULT_CERTIFICATE_REVOKED);
    CHECK(l == NULL);
    OK(lic_verifier_verify_text_at(v, S(FIX_RESELLER_CODE_VALID), FIX_NOW, &l));
    lic_license_free(l);
    lic_verifier_free(v);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <scratch-dir>\n", argv[0]);
        return 2;
    }
    scratch = argv[1];
    test_version_and_messages();
    test_names_and_diagnostics();
    test_database_codes();
    test_forced_panic();
    test_valid_license();
    test_statuses();
    test_code_failures();
    test_config_failures();
    test_notice_days();
    test_files();
    test_guards_and_state_file();
    test_revocation();
    test_fingerprint();
    test_seat_pool();
    test_reseller_codes();
    test_seat_client();
    test_null_arguments();
    check_every_code_was_seen();
    printf("C API tests: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
