/*
 * seat_client.c: a C product that takes a floating seat from license-server.
 *
 *   1. make a client for the seat server, this product and this client's holder id,
 *      with the server key the vendor licensed (leases signed by any other key are refused);
 *   2. take a seat; keep it with a heartbeat every third of its TTL;
 *   3. give it back at exit.
 *
 * If the server cannot be reached, a held seat is kept until its lease expires: the
 * heartbeat succeeds with server_unreachable set, and the product keeps running.
 *
 * Build (after `cargo build --release -p license-ffi`, from the repository root):
 *
 *   cc -std=c11 -Wall -Wextra -pedantic -I ffi/include ffi/examples/seat_client.c \
 *      target/release/liblicense_ffi.a -lpthread -ldl -lm -lrt -lutil -o seat_client
 *
 * Run:  ./seat_client http://seats.acme.lan:7070 <server key, 64 hex digits> ws-17
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "license_ffi.h"

static const char PRODUCT[] = "cad";

static int fail(const char *what, lic_result r) {
    char msg[1024];
    size_t len = 0;
    if (lic_last_error_message(msg, sizeof msg, &len) != LIC_RESULT_OK) {
        lic_result_message(r, msg, sizeof msg, &len);
    }
    fprintf(stderr, "%s failed (code %u): %s\n", what, (unsigned)r, msg);
    return 1;
}

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
    if (argc != 4) {
        fprintf(stderr, "usage: %s SERVER_URL SERVER_KEY_HEX HOLDER\n", argv[0]);
        return 2;
    }
    const char *url = argv[1], *holder = argv[3];
    uint8_t key[32];
    if (!parse_key(argv[2], key)) {
        fprintf(stderr, "the server key is 64 hex digits\n");
        return 2;
    }
    lic_seat_client *client = NULL;
    lic_result r = lic_seat_client_new(url, strlen(url), PRODUCT, strlen(PRODUCT), holder, strlen(holder),
                                       key, sizeof key, &client);
    if (r != LIC_RESULT_OK) return fail("lic_seat_client_new", r);
    const char user[] = "anna", machine[] = "ws-17.acme.lan";
    r = lic_seat_client_set_identity(client, user, strlen(user), machine, strlen(machine));
    if (r != LIC_RESULT_OK) return fail("lic_seat_client_set_identity", r);

    lic_seat_lease lease;
    r = lic_seat_client_acquire(client, 0, &lease);
    if (r == LIC_RESULT_NO_SEAT_AVAILABLE) {
        fail("lic_seat_client_acquire", r); /* prints "all N licensed seats are in use ..." */
        lic_seat_client_free(client);
        return 3;
    }
    if (r != LIC_RESULT_OK) return fail("lic_seat_client_acquire", r);
    printf("Seat taken for %s: %u of %u in use, ttl %lld s\n", holder, (unsigned)lease.in_use,
           (unsigned)lease.limit, (long long)lease.ttl_secs);

    /* In the product: every ttl_secs / 3 seconds, on a timer. */
    r = lic_seat_client_heartbeat(client, &lease);
    if (r != LIC_RESULT_OK) return fail("lic_seat_client_heartbeat", r);
    if (lease.server_unreachable) {
        printf("Seat server unreachable: the seat is kept until %lld (ms since 1970)\n",
               (long long)lease.expires_unix_ms);
    } else {
        printf("Heartbeat: renewed\n");
    }

    size_t token_len = 0;
    r = lic_seat_client_token(client, NULL, 0, &token_len);
    if (r != LIC_RESULT_BUFFER_TOO_SMALL) return fail("lic_seat_client_token", r);
    printf("Lease token: %zu characters\n", token_len);

    bool removed = false;
    r = lic_seat_client_release(client, &removed);
    if (r != LIC_RESULT_OK) return fail("lic_seat_client_release", r);
    printf("Seat released: %s\n", removed ? "yes" : "no");
    lic_seat_client_free(client);
    return 0;
}
