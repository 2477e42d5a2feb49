#!/usr/bin/env bash
# Build license-ffi in release mode and install the libraries, the headers, the
# pkg-config file and the CMake package under PREFIX (default /usr/local):
#   PREFIX/lib/liblicense_ffi.a, PREFIX/lib/liblicense_ffi.so.VERSION with the links
#   liblicense_ffi.so.0 (the SONAME, what programs load) and liblicense_ffi.so (for -l),
#   PREFIX/include/license_ffi.{h,hpp}
#   PREFIX/lib/pkgconfig/license_ffi.pc
#   PREFIX/lib/cmake/license_ffi/license_ffiConfig.cmake and license_ffiConfigVersion.cmake
#     (find_package(license_ffi): targets license_ffi::static and license_ffi::shared)
#
# LICENSE_FFI_PREBUILT=DIR installs liblicense_ffi.a and liblicense_ffi.so from DIR
# instead of building them (packaging scripts that built already; the CMake test).
set -euo pipefail
prefix="${1:-/usr/local}"
cd "$(dirname "$0")/.."
if [ -n "${LICENSE_FFI_PREBUILT:-}" ]; then
    target="$LICENSE_FFI_PREBUILT"
else
    cargo build --release -p license-ffi
    target="${CARGO_TARGET_DIR:-target}/release"
fi
version="$(sed -n 's/^#define LIC_VERSION "\(.*\)"$/\1/p' ffi/include/license_ffi.h)"
install -d "$prefix/lib/pkgconfig" "$prefix/lib/cmake/license_ffi" "$prefix/include"
install -m 0644 "$target/liblicense_ffi.a" "$prefix/lib/"
soname="$(readelf -d "$target/liblicense_ffi.so" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p' || true)"
soname="${soname:-liblicense_ffi.so.0}"
install -m 0755 "$target/liblicense_ffi.so" "$prefix/lib/liblicense_ffi.so.$version"
ln -sf "liblicense_ffi.so.$version" "$prefix/lib/$soname"
ln -sf "$soname" "$prefix/lib/liblicense_ffi.so"
install -m 0644 ffi/include/license_ffi.h ffi/include/license_ffi.hpp "$prefix/include/"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" ffi/license_ffi.pc.in \
    > "$prefix/lib/pkgconfig/license_ffi.pc"
for f in license_ffiConfig license_ffiConfigVersion; do
    sed -e "s|@VERSION@|$version|g" -e "s|@SONAME@|$soname|g" \
        -e "s|@STATIC_LIB@|liblicense_ffi.a|g" -e "s|@SHARED_LIB@|liblicense_ffi.so.$version|g" \
        "ffi/cmake/$f.cmake.in" > "$prefix/lib/cmake/license_ffi/$f.cmake"
done
echo "installed license-ffi $version under $prefix"
