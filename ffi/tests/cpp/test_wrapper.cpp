// Tests of the C++ wrapper (include/license_ffi.hpp), built by ffi/tests/cpp_api.rs with
// -std=c++17 -Wall -Wextra -Werror -pedantic. Usage: test_wrapper <scratch-dir>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "license_ffi.hpp"
#include "fixtures.h"

static int passed = 0;
static int failed = 0;

static void check(bool ok, const char *what, int line) {
    if (ok) {
        passed++;
    } else {
        failed++;
        std::fprintf(stderr, "test_wrapper.cpp:%d: check failed: %s\n", line, what);
    }
}
#define CHECK(cond) check((cond), #cond, __LINE__)

// Run `f`, expect a lic::Error with `code`; return its message.
template <typename F>
static std::string expect_error(F &&f, lic_result code, int line) {
    try {
        f();
    } catch (const lic::Error &e) {
        check(e.code() == code, "error code", line);
        return e.what();
    }
    check(false, "no exception thrown", line);
    return "";
}
#define EXPECT_ERROR(expr, code) expect_error([&] { (void)(expr); }, (code), __LINE__)

static lic::VerifierConfig config() {
    lic::VerifierConfig c(FIX_PRODUCT, lic_date{FIX_BUILD_YEAR, FIX_BUILD_MONTH, FIX_BUILD_DAY});
    c.add_key(FIX_VENDOR_KEY, sizeof FIX_VENDOR_KEY)
        .licensee(FIX_LICENSEE)
        .database(FIX_DATABASE)
        .add_module("crm")
        .add_module("budget")
        .add_module("planning")
        .add_module("bi")
        .add_line("standard")
        .add_line("expert")
        .tolerate_unreadable(LIC_COMPONENT_BOARD_SERIAL);
    return c;
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    const std::string scratch = argv[1];
    CHECK(lic::version() == LIC_VERSION);
    CHECK(lic::result_message(LIC_RESULT_OK) == "success");
    CHECK(lic::result_name(LIC_RESULT_WRONG_MACHINE) == "LIC_RESULT_WRONG_MACHINE");
    CHECK(lic::result_name(static_cast<lic_result>(9999)) == "");
    CHECK(lic::status_name(LIC_STATUS_DEMO_MODE) == "LIC_STATUS_DEMO_MODE");
    {
        const std::string db = lic::new_database_code();
        CHECK(db.size() == 26 && db.compare(0, 3, "DB-") == 0);
        CHECK(lic::normalize_database_code(db.substr(3)) == db);
        const std::string msg = EXPECT_ERROR(lic::normalize_database_code("DB-7F3A"), LIC_RESULT_DATABASE_CODE_INVALID);
        CHECK(msg.find("20 characters") != std::string::npos);
    }

    lic::VerifierConfig cfg = config();
    const lic::Verifier verifier(cfg);
    {
        lic::License l = verifier.verify_text_at(FIX_CODE_VALID, FIX_NOW);
        CHECK(l.status() == LIC_STATUS_VALID);
        CHECK(l.days_left() == FIX_DAYS_TO_EXPIRY);
        CHECK(l.is_usable() && l.release_covered());
        CHECK(l.named_users() == 25 && l.concurrent_seats() == 3);
        CHECK(l.line() == 1 && l.kind() == LIC_KIND_SUBSCRIPTION);
        CHECK(l.id() == 1001 && l.revision() == 1);
        CHECK(l.issued().year == FIX_ISSUED_YEAR && l.valid_from().day == FIX_ISSUED_DAY);
        CHECK(l.expires().has_value() && l.expires()->year == FIX_EXPIRES_YEAR);
        CHECK(l.maintenance_ends().has_value());
        CHECK(l.today().year == 2026);
        CHECK(l.modules() == 0xB);
        CHECK(l.has_module("bi") && !l.has_module("planning"));
        std::string m = EXPECT_ERROR(l.has_module("nope"), LIC_RESULT_UNKNOWN_MODULE);
        CHECK(m.find("nope") != std::string::npos);
        // A description longer than the wrapper's first buffer: read at the exact size.
        std::string d = l.describe();
        CHECK(d.size() > 100 && d.find("crm") != std::string::npos);
        CHECK(l.line_name() == "expert" && d.find("product line expert") != std::string::npos);
        // Moving transfers ownership: freed once, by the new owner.
        lic::License moved = std::move(l);
        CHECK(moved.id() == 1001);
    }
    {
        lic::License perpetual = verifier.verify_text_at(FIX_CODE_PERPETUAL_UNCOVERED, FIX_NOW);
        CHECK(!perpetual.expires().has_value());
        CHECK(!perpetual.release_covered());
        CHECK(perpetual.named_users() == LIC_UNLIMITED || perpetual.named_users() == 0);
    }

    // Failures come out as exceptions with the code and the detailed message.
    std::string typo = EXPECT_ERROR(verifier.verify_text_at(FIX_CODE_TYPO, FIX_NOW), LIC_RESULT_TYPO);
    CHECK(typo.find("group 3") != std::string::npos);
    EXPECT_ERROR(verifier.verify_text_at(FIX_CODE_OTHER_LICENSEE, FIX_NOW), LIC_RESULT_WRONG_LICENSEE);
    EXPECT_ERROR(verifier.verify_text_at(FIX_CODE_BAD_SIGNATURE, FIX_NOW), LIC_RESULT_BAD_SIGNATURE);
    EXPECT_ERROR(verifier.verify_text_at("", FIX_NOW), LIC_RESULT_CODE_EMPTY);
    EXPECT_ERROR(verifier.verify_text_at(std::string_view(), FIX_NOW), LIC_RESULT_CODE_EMPTY);
    EXPECT_ERROR(verifier.verify_file_at(scratch + "/missing.txt", FIX_NOW), LIC_RESULT_IO);
    EXPECT_ERROR(lic::VerifierConfig("p", lic_date{2026, 13, 1}), LIC_RESULT_INVALID_DATE);
    {
        lic::VerifierConfig empty("p", lic_date{2026, 1, 1});
        EXPECT_ERROR(lic::Verifier(empty), LIC_RESULT_CONFIG);
    }

    // A file, and the state file guards.
    {
        const std::string path = scratch + "/license.txt";
        std::ofstream(path) << FIX_CODE_REV2 << "\n";
        lic::VerifierConfig c = config();
        c.state_file(scratch + "/cpp.state", "a secret of 16 bytes or more");
        const lic::Verifier v(c);
        CHECK(v.verify_file_at(path, FIX_NOW).revision() == 2);
        // The state file now exists: not a first run any more.
        CHECK(!v.verify_file_at(path, FIX_NOW).first_run());
        EXPECT_ERROR(v.verify_text_at(FIX_CODE_VALID, FIX_NOW), LIC_RESULT_SUPERSEDED);
        EXPECT_ERROR(v.check_clock_at(FIX_NOW - FIX_DAY), LIC_RESULT_CLOCK_TURNED_BACK);
        v.flush_state();
        v.reset_state_at(FIX_NOW);
        CHECK(v.verify_text_at(FIX_CODE_VALID, FIX_NOW).revision() == 1);
        CHECK(!v.verify_text_at(FIX_CODE_VALID, FIX_NOW).pending_change().has_value());
    }

    // Revocation lists.
    {
        const lic::Verifier v(config());
        CHECK(!v.revocation_list().has_value());
        lic_revocation_info info = v.ingest_revocation_list_at(FIX_LIST_1, sizeof FIX_LIST_1, FIX_NOW);
        CHECK(info.sequence == 1);
        CHECK(v.revocation_list().has_value() && v.revocation_list()->entries == 1);
        EXPECT_ERROR(v.verify_text_at(FIX_CODE_REVOKED, FIX_NOW), LIC_RESULT_REVOKED);
        EXPECT_ERROR(v.ingest_revocation_list_at(FIX_LIST_INVALID, sizeof FIX_LIST_INVALID, FIX_NOW),
                     LIC_RESULT_INVALID_REVOCATION_LIST);
        // An empty vector is an invalid list, not a NULL argument.
        EXPECT_ERROR(v.ingest_revocation_list(std::vector<uint8_t>()), LIC_RESULT_INVALID_REVOCATION_LIST);
        const std::string list_path = scratch + "/list2.bin";
        std::ofstream(list_path, std::ios::binary)
            .write(reinterpret_cast<const char *>(FIX_LIST_2), sizeof FIX_LIST_2);
        CHECK(v.ingest_revocation_file_at(list_path, FIX_NOW).sequence == 2);
        EXPECT_ERROR(v.ingest_revocation_file(scratch + "/no-list.bin"), LIC_RESULT_IO);
        v.reset_state();
        CHECK(!v.revocation_list().has_value());
    }

    // Fingerprints and a machine-bound code.
    {
        lic::Fingerprint fp = lic::Fingerprint::empty(FIX_PRODUCT);
        CHECK(fp.add_component(LIC_COMPONENT_OS_INSTALL_ID, FIX_MACHINE_OS_ID));
        CHECK(fp.add_component(LIC_COMPONENT_CPU, FIX_MACHINE_CPU));
        std::array<uint8_t, 6> mac{};
        std::memcpy(mac.data(), FIX_MACHINE_MAC, 6);
        CHECK(fp.add_mac(mac));
        CHECK(fp.known_components() == 0xD);
        CHECK(fp.print(1) == FIX_FINGERPRINT_TEXT);
        CHECK(fp.describe().find(FIX_FINGERPRINT_TEXT) != std::string::npos);
        EXPECT_ERROR(fp.print(9), LIC_RESULT_INVALID_ARGUMENT);
        lic::VerifierConfig c(FIX_PRODUCT, lic_date{FIX_BUILD_YEAR, FIX_BUILD_MONTH, FIX_BUILD_DAY});
        c.add_key(FIX_VENDOR_KEY, 32).licensee(FIX_LICENSEE).fingerprint(fp);
        CHECK(lic::Verifier(c).verify_text_at(FIX_CODE_MACHINE, FIX_NOW).id() == 1006);
        lic::Fingerprint collected = lic::Fingerprint::collect(FIX_PRODUCT);
        CHECK(!collected.describe().empty());
    }

    // Seats, shared by threads.
    {
        lic::License l = verifier.verify_text_at(FIX_CODE_VALID, FIX_NOW);
        const lic::SeatPool pool = lic::SeatPool::for_license(l, 60);
        CHECK(pool.acquire_at("ann", 0).in_use == 1);
        CHECK(pool.acquire_at("ann", 10).renewed);
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; i++) {
            threads.emplace_back([&pool, i] {
                try {
                    pool.acquire_at("user-" + std::to_string(i), 100);
                } catch (const lic::Error &) {
                }
            });
        }
        for (std::thread &t : threads) t.join();
        lic::SeatSnapshot snap = pool.snapshot_at(200);
        CHECK(snap.in_use == 3 && snap.limit == 3 && snap.peak == 3);
        CHECK(snap.holders.size() == 3 && snap.holders[0].holder == "ann");
        EXPECT_ERROR(pool.acquire_at("late", 300), LIC_RESULT_NO_SEAT_AVAILABLE);
        CHECK(pool.heartbeat_at("ann", 30000).expires_ms == 90000);
        EXPECT_ERROR(pool.heartbeat_at("ghost", 30000), LIC_RESULT_SEAT_LEASE_LOST);
        CHECK(pool.release("ann") && !pool.release("ann"));
        CHECK(pool.set_limit(1) == 1); // the newest holder is evicted
        EXPECT_ERROR(pool.heartbeat_at(snap.holders[2].holder, 30000), LIC_RESULT_SEAT_LEASE_LOST);
        CHECK(pool.set_limit(LIC_UNLIMITED) == 0);
        CHECK(pool.acquire("now").in_use == 2);
        CHECK(pool.heartbeat("now").renewed);
        CHECK(pool.snapshot().limit == LIC_UNLIMITED);
        lic::SeatPool own(2, 30);
        CHECK(own.acquire_at("x", 0).expires_ms == 30000);
        EXPECT_ERROR(lic::SeatPool(2, 0), LIC_RESULT_INVALID_ARGUMENT);
    }

    std::printf("C++ wrapper tests: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
