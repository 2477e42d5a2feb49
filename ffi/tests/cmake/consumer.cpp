// The program of the CMake package test: verifies the fixtures' valid code through the
// C++ wrapper and prints what it grants, then checks that a forged code is refused.
#include <cstdio>

#include "license_ffi.hpp"
// after the header: the fixtures use its types
#include "fixtures.h"

int main() {
    lic::VerifierConfig config(FIX_PRODUCT, lic_date{FIX_BUILD_YEAR, FIX_BUILD_MONTH, FIX_BUILD_DAY});
    config.add_key(FIX_VENDOR_KEY, sizeof FIX_VENDOR_KEY).licensee(FIX_LICENSEE).database(FIX_DATABASE);
    const lic::Verifier verifier(config);
    const lic::License license = verifier.verify_text_at(FIX_CODE_VALID, FIX_NOW);
    std::printf("library %s, licensed: %s\n", lic::version().c_str(), license.describe().c_str());
    try {
        (void)verifier.verify_text_at(FIX_CODE_BAD_SIGNATURE, FIX_NOW);
        std::printf("forged code accepted\n");
        return 1;
    } catch (const lic::Error &e) {
        std::printf("forged code refused: %s\n", e.what());
    }
    return 0;
}
