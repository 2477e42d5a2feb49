/* The C baseline of bindings/bench/run.sh: N verifications of the golden vectors' reference
 * code through the C ABI (shared library), after a warm-up; prints nanoseconds per
 * verification (each: lic_verifier_verify_text_at and lic_license_free).
 * Usage: verify_c <code> <vendor-key-hex> <os-id> <uuid> <cpu> <mac-hex> <now> <n> */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "license_ffi.h"

static void hex(const char *s, unsigned char *out, size_t n) {
    for (size_t i = 0; i < n; i++) sscanf(s + 2 * i, "%2hhx", &out[i]);
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 9) return 2;
    const char *code = argv[1];
    unsigned char key[32], mac[6];
    hex(argv[2], key, 32);
    hex(argv[6], mac, 6);
    long long at = atoll(argv[7]);
    int n = atoi(argv[8]);
    bool added;
    lic_fingerprint *fp = NULL;
    lic_verifier_config *c = NULL;
    lic_verifier *v = NULL;
    if (lic_fingerprint_new((const uint8_t *)"demo-erp", 8, &fp) ||
        lic_fingerprint_add_component(fp, LIC_COMPONENT_OS_INSTALL_ID, argv[3], strlen(argv[3]), &added) ||
        lic_fingerprint_add_component(fp, LIC_COMPONENT_HARDWARE_UUID, argv[4], strlen(argv[4]), &added) ||
        lic_fingerprint_add_component(fp, LIC_COMPONENT_CPU, argv[5], strlen(argv[5]), &added) ||
        lic_fingerprint_add_mac(fp, mac, 6, &added) ||
        lic_verifier_config_new("demo-erp", 8, (lic_date){2026, 11, 1}, &c) ||
        lic_verifier_config_add_key(c, key, 32) || lic_verifier_config_set_licensee(c, "ACME Corp", 9) ||
        lic_verifier_config_set_fingerprint(c, fp) || lic_verifier_new(c, &v)) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    size_t len = strlen(code);
    for (int round = 0; round < 2; round++) { /* round 0 warms up */
        double t0 = now_ns();
        for (int i = 0; i < n; i++) {
            lic_license *l = NULL;
            if (lic_verifier_verify_text_at(v, code, len, at, &l) != LIC_RESULT_OK) {
                fprintf(stderr, "verify failed\n");
                return 1;
            }
            lic_license_free(l);
        }
        if (round == 1) printf("%.0f\n", (now_ns() - t0) / n);
    }
    lic_verifier_free(v);
    lic_verifier_config_free(c);
    lic_fingerprint_free(fp);
    return 0;
}
