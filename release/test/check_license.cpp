// check_license <licensee> <database code> <code file>: verifies the code with the vendor
// key compiled in, prints what it grants and exits 0 when it allows use today.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "license_ffi.hpp"

// The demo vendor key (the golden vectors' key).
static const uint8_t VENDOR_PUBLIC_KEY[32] = {
    0xea, 0x4a, 0x6c, 0x63, 0xe2, 0x9c, 0x52, 0x0a, 0xbe, 0xf5, 0x50, 0x7b, 0x13, 0x2e, 0xc5, 0xf9,
    0x95, 0x47, 0x76, 0xae, 0xbe, 0xbe, 0x7b, 0x92, 0x42, 0x1e, 0xea, 0x69, 0x14, 0x46, 0xd2, 0x2c,
};

int main(int argc, char **argv) {
    if (argc != 4) {
        std::cerr << "usage: check_license <licensee> <database code> <code file>\n";
        return 2;
    }
    std::ifstream in(argv[3]);
    std::ostringstream text;
    text << in.rdbuf();
    try {
        lic::VerifierConfig config("demo-erp", lic_date{2026, 11, 1});
        config.add_key(VENDOR_PUBLIC_KEY, sizeof VENDOR_PUBLIC_KEY).licensee(argv[1]).database(argv[2]);
        const lic::Verifier verifier(config);
        const lic::License license = verifier.verify_text(text.str());
        std::cout << "License accepted (library " << lic_version() << ").\n" << license.describe() << "\n";
        return license.is_usable() ? 0 : 1;
    } catch (const lic::Error &e) {
        std::cout << "Refused: " << e.what() << "\n";
        return 1;
    }
}
