/*
 * seat_failover.c: the C seat client fails over, in the order given, from a server that is
 * down to one that answers (lic_seat_client_add_server). Run by tests/seat_client.rs
 * against a real seat server on loopback:
 *
 *   seat_failover DOWN_URL UP_URL SERVER_KEY_HEX HOLDER
 *
 * Prints "failover: N passed, M failed" and exits non-zero on a failure.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "license_ffi.h"

static const char PRODUCT[] = "cad";
static int passed = 0, failed = 0;

static void expect(lic_result got, lic_result want, const char *what, int line) {
    if (got == want) {
        passed++;
        return;
    }
    char msg[1024];
    size_t len = 0;
    if (lic_last_error_message(msg, sizeof msg, &len) != LIC_RESULT_OK) msg[0] = '\0';
    fprintf(stderr, "line %d: %s gave %u, expected %u: %s\n", line, what, (unsigned)got, (unsigned)want, msg);
    failed++;
}

static void check(bool ok, const char *what, int line) {
    if (ok) {
        passed++;
    } else {
        fprintf(stderr, "line %d: %s\n", line, what);
        failed++;
    }
}

#define EXPECT(call, code) expect((call), (code), #call, __LINE__)
#define OK(call) EXPECT(call, LIC_RESULT_OK)
#define CHECK(cond) check((cond), #cond, __LINE__)
#define S(str) (str), strlen(str)

static bool parse_key(const char *hex, uint8_t key[32]) {
    if (strlen(hex) != 64) return false;
    for (size_t i = 0; i < 32; i++) {
        unsigned v = 0;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return false;
        key[i] = (uint8_t)v;
    }
    return true;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s DOWN_URL UP_URL SERVER_KEY_HEX HOLDER\n", argv[0]);
        return 2;
    }
    const char *down = argv[1], *up = argv[2], *holder = argv[4];
    uint8_t key[32];
    if (!parse_key(argv[3], key)) {
        fprintf(stderr, "the server key is 64 hex digits\n");
        return 2;
    }
    lic_seat_client *c = NULL;
    OK(lic_seat_client_new(S(down), S(PRODUCT), S(holder), key, sizeof key, &c));
    if (c == NULL) return 1;
    lic_seat_lease lease;
    bool removed = false;

    /* Only the server that is down: unreachable, and the message names it. */
    EXPECT(lic_seat_client_acquire(c, 0, &lease), LIC_RESULT_SEAT_SERVER_UNREACHABLE);
    char msg[2048];
    size_t len = 0;
    OK(lic_last_error_message(msg, sizeof msg, &len));
    CHECK(strstr(msg, down) != NULL);

    /* A bad URL is refused and changes nothing; then the server that answers. */
    EXPECT(lic_seat_client_add_server(c, S("ftp://127.0.0.1:1")), LIC_RESULT_INVALID_ARGUMENT);
    OK(lic_seat_client_add_server(c, S(up)));
    memset(&lease, 0, sizeof lease);
    OK(lic_seat_client_acquire(c, 0, &lease));
    CHECK(lease.in_use == 1 && !lease.server_unreachable && lease.ttl_secs > 0);
    /* The server that answered is the current one: the heartbeat goes to it. */
    OK(lic_seat_client_heartbeat(c, &lease));
    CHECK(lease.in_use == 1 && !lease.server_unreachable);
    OK(lic_seat_client_release(c, &removed));
    CHECK(removed);
    lic_seat_client_free(c);

    /* A client that lists the answering server first never needs the one that is down. */
    c = NULL;
    OK(lic_seat_client_new(S(up), S(PRODUCT), S(holder), key, sizeof key, &c));
    OK(lic_seat_client_add_server(c, S(down)));
    OK(lic_seat_client_acquire(c, 0, &lease));
    OK(lic_seat_client_release(c, &removed));
    CHECK(removed);
    lic_seat_client_free(c);

    printf("failover: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
