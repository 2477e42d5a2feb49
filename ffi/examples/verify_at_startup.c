/*
 * verify_at_startup.c: what a C product does at start-up with license-ffi.
 * Copy it, put in your vendor public key, product id and module names.
 *
 *   1. build a verifier (vendor key, product, build date, licensee, database code,
 *      module names, state file);
 *   2. verify the license code file and print what it grants;
 *   3. take a concurrent seat for the user who logs in, and give it back at logout.
 *
 * Build (after `cargo build --release -p license-ffi`, from the repository root), linking
 * the static library, so the program needs no library at run time:
 *
 *   cc -std=c11 -Wall -Wextra -pedantic -I ffi/include ffi/examples/verify_at_startup.c
 *      target/release/liblicense_ffi.a -lpthread -ldl -lm -lrt -lutil -o verify_at_startup
 *
 * or, after `ffi/install.sh /opt/license-ffi`, with pkg-config and the shared library,
 * recording where the loader finds it (an rpath; see ffi/README.md for ldconfig):
 *
 *   export PKG_CONFIG_PATH=/opt/license-ffi/lib/pkgconfig
 *   cc ffi/examples/verify_at_startup.c $(pkg-config --cflags --libs license_ffi)
 *      -Wl,-rpath,/opt/license-ffi/lib -o verify_at_startup
 *
 * (each command on one line). With CMake: find_package(license_ffi) and the target
 * license_ffi::static or license_ffi::shared.
 *
 * Run:  ./verify_at_startup license.txt "ACME Corp" DB-B80ZZ-01W25-SE82D-XMET2 [state-file]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "license_ffi.h"

/* Your vendor public key (32 bytes, from `licensectl pubkey`). This one is the demo key. */
static const uint8_t VENDOR_KEY[32] = {
    0xea, 0x4a, 0x6c, 0x63, 0xe2, 0x9c, 0x52, 0x0a, 0xbe, 0xf5, 0x50, 0x7b, 0x13, 0x2e, 0xc5, 0xf9,
    0x95, 0x47, 0x76, 0xae, 0xbe, 0xbe, 0x7b, 0x92, 0x42, 0x1e, 0xea, 0x69, 0x14, 0x46, 0xd2, 0x2c,
};
static const char PRODUCT[] = "demo-erp";
/* The day this release was built (maintenance coverage). */
static const struct lic_date BUILD_DATE = {2026, 11, 1};
/* Module names in catalog order: module 0, 1, 2, ... */
static const char *const MODULES[] = {"crm", "budget", "planning", "bi"};
/* Integrity key of the state file: fixed per application, at least 16 bytes. */
static const char STATE_SECRET[] = "demo-erp state file key, v1";

/* Print the detailed message of the last failure and return 1. */
static int fail(const char *what, lic_result r) {
    char msg[1024];
    size_t len = 0;
    if (lic_last_error_message(msg, sizeof msg, &len) != LIC_RESULT_OK) {
        lic_result_message(r, msg, sizeof msg, &len);
    }
    fprintf(stderr, "%s failed (code %u): %s\n", what, (unsigned)r, msg);
    return 1;
}

static lic_result make_verifier(const char *licensee, const char *database, const char *state,
                                lic_verifier **out) {
    lic_verifier_config *config = NULL;
    lic_result r = lic_verifier_config_new(PRODUCT, strlen(PRODUCT), BUILD_DATE, &config);
    if (r == LIC_RESULT_OK) r = lic_verifier_config_add_key(config, VENDOR_KEY, sizeof VENDOR_KEY);
    if (r == LIC_RESULT_OK) r = lic_verifier_config_set_licensee(config, licensee, strlen(licensee));
    if (r == LIC_RESULT_OK) r = lic_verifier_config_set_database(config, database, strlen(database));
    for (size_t i = 0; r == LIC_RESULT_OK && i < sizeof MODULES / sizeof MODULES[0]; i++) {
        r = lic_verifier_config_add_module(config, MODULES[i], strlen(MODULES[i]));
    }
    if (r == LIC_RESULT_OK && state != NULL) {
        r = lic_verifier_config_set_state_file(config, state, strlen(state),
                                               (const uint8_t *)STATE_SECRET, strlen(STATE_SECRET));
    }
    if (r == LIC_RESULT_OK) r = lic_verifier_new(config, out);
    lic_verifier_config_free(config);
    return r;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s <license-file> <licensee> <database-code> [state-file]\n", argv[0]);
        return 2;
    }
    lic_verifier *verifier = NULL;
    lic_result r = make_verifier(argv[2], argv[3], argc > 4 ? argv[4] : NULL, &verifier);
    if (r != LIC_RESULT_OK) return fail("configuring the license verifier", r);

    /* 1. Verify the code at start-up (offline). */
    lic_license *license = NULL;
    r = lic_verifier_verify_file(verifier, argv[1], strlen(argv[1]), &license);
    if (r != LIC_RESULT_OK) {
        lic_verifier_free(verifier);
        return fail("verifying the license", r);
    }

    /* 2. Print what is granted, in plain words. */
    char text[2048];
    size_t len = 0;
    if (lic_license_describe(license, text, sizeof text, &len) == LIC_RESULT_OK) {
        printf("%s", text);
    }
    bool usable = false;
    lic_license_is_usable(license, &usable);
    if (!usable) {
        fprintf(stderr, "The license does not allow this release to run now.\n");
        lic_license_free(license);
        lic_verifier_free(verifier);
        return 1;
    }
    bool bi = false;
    if (lic_license_has_module(license, "bi", 2, &bi) == LIC_RESULT_OK && bi) {
        printf("Business Intelligence: enabled\n");
    }

    /* 3. Concurrent seats: one per logged-in user, leases of 5 minutes renewed by heartbeats. */
    lic_seat_pool *pool = NULL;
    r = lic_seat_pool_new_for_license(license, 300, &pool);
    if (r == LIC_RESULT_OK) {
        struct lic_lease lease;
        r = lic_seat_pool_acquire(pool, "agent-17", 8, &lease);
        if (r == LIC_RESULT_OK) {
            printf("Seat taken for agent-17: %u in use\n", (unsigned)lease.in_use);
            /* ... the user works; call lic_seat_pool_heartbeat() every minute ... */
            bool held = false;
            lic_seat_pool_release(pool, "agent-17", 8, &held);
            printf("Seat released: %s\n", held ? "yes" : "no");
        } else {
            fail("taking a seat", r);
        }
        lic_seat_pool_free(pool);
    }
    lic_license_free(license);
    lic_verifier_free(verifier);
    return r == LIC_RESULT_OK ? 0 : 1;
}
