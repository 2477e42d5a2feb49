#!/usr/bin/env bash
# Build license-ffi in release mode and install the libraries, the headers and the
# pkg-config file under PREFIX (default /usr/local):
#   PREFIX/lib/liblicense_ffi.a, PREFIX/lib/liblicense_ffi.so.VERSION with the links
#   liblicense_ffi.so.0 (the SONAME, what programs load) and liblicense_ffi.so (for -l),
#   PREFIX/include/license_ffi.{h,hpp}
#   PREFIX/lib/pkgconfig/license_ffi.pc
set -euo pipefail
prefix="${1:-/usr/local}"
cd "$(dirname "$0")/.."
cargo build --release -p license-ffi
target="${CARGO_TARGET_DIR:-target}/release"
version="$(sed -n 's/^#define LIC_VERSION "\(.*\)"$/\1/p' ffi/include/license_ffi.h)"
install -d "$prefix/lib/pkgconfig" "$prefix/include"
install -m 0644 "$target/liblicense_ffi.a" "$prefix/lib/"
soname="$(readelf -d "$target/liblicense_ffi.so" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p' || true)"
soname="${soname:-liblicense_ffi.so.0}"
install -m 0755 "$target/liblicense_ffi.so" "$prefix/lib/liblicense_ffi.so.$version"
ln -sf "liblicense_ffi.so.$version" "$prefix/lib/$soname"
ln -sf "$soname" "$prefix/lib/liblicense_ffi.so"
install -m 0644 ffi/include/license_ffi.h ffi/include/license_ffi.hpp "$prefix/include/"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" ffi/license_ffi.pc.in \
    > "$prefix/lib/pkgconfig/license_ffi.pc"
echo "installed license-ffi $version under $prefix"
