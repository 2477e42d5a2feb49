// license_dialog.cpp: the license dialog of a C++ product, as docs/INTEGRATION.md
// describes it. Shows this installation's database code and machine fingerprint, accepts
// a pasted code or the path of a file, shows what the code grants, explains each refusal
// with what to do, and asks again. Text in, text out (a GUI shows the same texts).
//
// catalog.h is the output of `licensectl catalog export --format c`: the product id, the
// module names in number order and the vendor public keys.
//
// Build (after `ffi/install.sh /opt/license-ffi`; or use CMake's license_ffi::static):
//
//   c++ -std=c++17 -Wall -Wextra -Werror -I /opt/license-ffi/include -I . ffi/examples/license_dialog.cpp
//       /opt/license-ffi/lib/liblicense_ffi.a -lpthread -ldl -lm -lrt -lutil -o license_dialog
//   (one line)
//
// Run: ./license_dialog <data-dir> "ACME Corp"
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "catalog.h"
#include "license_ffi.hpp"

namespace {

// The day this release was built (maintenance must cover it) and the state file's key.
const lic_date BUILD_DATE = {2026, 11, 1};
const char STATE_SECRET[] = "demo-erp state file key, v1";

bool read_file(const std::string &path, std::string &text) {
    std::ifstream in(path);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
    return true;
}

// This installation's database code: created once and kept with the product's data (a
// real product stores it in its own database, in a settings table).
std::string installation_database_code(const std::string &dir) {
    const std::string path = dir + "/database-code";
    std::string stored;
    if (read_file(path, stored)) return lic::normalize_database_code(stored);
    const std::string code = lic::new_database_code();
    std::ofstream(path) << code;
    return code;
}

// What the user should do after a refusal, beyond the library's own message.
std::string advice(lic_result code, const std::string &database, const std::string &fingerprint) {
    switch (code) {
    case LIC_RESULT_WRONG_DATABASE:
    case LIC_RESULT_DATABASE_CODE_REQUIRED:
        return "Send this installation's database code to the vendor: " + database;
    case LIC_RESULT_WRONG_MACHINE:
        return "Send this machine's fingerprint to the vendor: " + fingerprint;
    case LIC_RESULT_TYPO:
    case LIC_RESULT_TYPO_UNLOCATED:
    case LIC_RESULT_INVALID_CHARACTER:
    case LIC_RESULT_CODE_TOO_SHORT:
        return "Paste the code again, or the file the vendor sent.";
    case LIC_RESULT_CLOCK_TURNED_BACK:
        return "Correct the system clock, then try again.";
    default:
        return "If this persists, contact the vendor with the message above.";
    }
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 3) {
        std::cerr << "usage: license_dialog <data-dir> <licensee>\n";
        return 2;
    }
    const std::string dir = argv[1];
    const std::string licensee = argv[2];
    try {
        const std::string database = installation_database_code(dir);
        std::string fingerprint = "(none: ask for a code bound to the database)";
        try {
            fingerprint = lic::Fingerprint::collect(LICENSE_PRODUCT).print(1);
        } catch (const lic::Error &) {
            // No machine component readable: database binding only.
        }
        lic::VerifierConfig config(LICENSE_PRODUCT, BUILD_DATE);
        for (const auto &key : VENDOR_PUBLIC_KEYS) config.add_key(key, sizeof key);
        config.licensee(licensee).database(database).state_file(dir + "/license.state", STATE_SECRET);
        for (const char *module : LICENSE_MODULES) config.add_module(module);
        const lic::Verifier verifier(config);
        const std::string license_file = dir + "/license.txt";

        std::cout << "License for " << LICENSE_PRODUCT << " (" << licensee << ")\n"
                  << "  Database code:       " << database << "\n"
                  << "  Machine fingerprint: " << fingerprint << "\n";
        std::string installed;
        if (read_file(license_file, installed)) {
            try {
                const lic::License license = verifier.verify_file(license_file);
                std::cout << "License accepted.\n" << license.describe() << "\n";
                if (license.is_usable()) return 0;
            } catch (const lic::Error &e) {
                std::cout << "The installed license is refused: " << e.what() << "\n";
            }
        }
        for (;;) {
            std::cout << "Paste the license code, or the path of the file holding it (empty line: cancel):\n";
            std::string line;
            if (!std::getline(std::cin, line) || line.empty()) {
                std::cout << "No license entered.\n";
                return 1;
            }
            std::string text;
            if (!read_file(line, text)) text = line;
            try {
                const lic::License license = verifier.verify_text(text);
                // Never replace a usable license with one that does not allow use today.
                if (license.is_usable() || installed.empty()) std::ofstream(license_file) << text;
                std::cout << "License accepted.\n" << license.describe() << "\n";
                return license.is_usable() ? 0 : 1;
            } catch (const lic::Error &e) {
                std::cout << "Refused: " << e.what() << "\n" << advice(e.code(), database, fingerprint) << "\n";
            }
        }
    } catch (const lic::Error &e) {
        std::cerr << "error: " << e.what() << "\n";
        return 3;
    }
}
