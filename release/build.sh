#!/usr/bin/env bash
# Builds the prebuilt bundle license-kit-<version>-<target>.tar.gz from this checkout:
# static and shared libraries, headers, pkg-config file, CMake package, the command-line
# tools license-check, licensectl and license-server, the Python wheel, the Java jar and the
# NuGet package (each with that target's native library), SHA256SUMS, the minimum glibc
# (read from the binaries' symbol versions) and the third-party licences (cargo metadata).
#
#   release/build.sh                   the host target (x86_64-unknown-linux-gnu)
#   release/build.sh --all-targets     x86_64 and aarch64 Linux (Debian's cross gcc) and
#                                      x86_64 Windows (mingw-w64)
#   release/build.sh --target T ...    chosen targets
#   --out DIR                          where the .tar.gz go (default target/bundles)
#
# Needs: cargo, python3, a JDK and jna.jar (the jar), mcs (the nupkg), and for the cross
# targets gcc-aarch64-linux-gnu / gcc-mingw-w64-x86-64 and their rustup targets.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
host=$(rustc -vV | sed -n 's/^host: //p')
targets=()
out="$root/target/bundles"
while [ $# -gt 0 ]; do
    case "$1" in
        --all-targets) targets=(x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-pc-windows-gnu) ;;
        --target) targets+=("$2"); shift ;;
        --out) out=$2; shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
[ ${#targets[@]} -gt 0 ] || targets=("$host")
version=$(sed -n 's/^#define LIC_VERSION "\(.*\)"$/\1/p' ffi/include/license_ffi.h)
mkdir -p "$out"
all_packages=(license-ffi license-check licensectl license-server)
all_tools=(license-check licensectl license-server)

t0=$SECONDS
for target in "${targets[@]}"; do
    echo "=== $target"
    packages=("${all_packages[@]}")
    tools=("${all_tools[@]}")
    case "$target" in
        aarch64-unknown-linux-gnu)
            export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
            export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
            wheel_plat=linux_aarch64 jna_dir=linux-aarch64 rid=linux-arm64 os=linux ;;
        x86_64-unknown-linux-gnu)
            wheel_plat=linux_x86_64 jna_dir=linux-x86-64 rid=linux-x64 os=linux ;;
        x86_64-pc-windows-gnu)
            export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
            export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
            # license-server does not build for Windows (it sets Unix file modes with
            # std::os::unix): the Windows bundle has no seat server.
            packages=(license-ffi license-check licensectl)
            tools=(license-check licensectl)
            wheel_plat=win_amd64 jna_dir=win32-x86-64 rid=win-x64 os=windows ;;
        *) echo "no bundle recipe for $target" >&2; exit 2 ;;
    esac
    if [ "$target" = "$host" ]; then
        built="target/release"   # the same directory CI's binding tests use: built once
        cargo build --release --locked $(printf -- '-p %s ' "${packages[@]}") \
            $(printf -- '--bin %s ' "${tools[@]}") --lib
    else
        rustup target list --installed | grep -qx "$target" || rustup target add "$target"
        built="target/$target/release"
        cargo build --release --locked --target "$target" $(printf -- '-p %s ' "${packages[@]}") \
            $(printf -- '--bin %s ' "${tools[@]}") --lib
    fi
    name="license-kit-$version-$target"
    stage=$(mktemp -d)/$name
    mkdir -p "$stage/bin" "$stage/share/license-kit/examples" "$stage/python" "$stage/java" "$stage/dotnet"
    if [ "$os" = linux ]; then
        # Libraries, headers, pkg-config and CMake package as ffi/install.sh lays them out.
        LICENSE_FFI_PREBUILT="$built" ffi/install.sh "$stage" > /dev/null
        # Relocatable: the .pc file finds its prefix from where it lies.
        sed -i "s|^prefix=.*|prefix=\${pcfiledir}/../..|" "$stage/lib/pkgconfig/license_ffi.pc"
        native="$built/liblicense_ffi.so"
        for t in "${tools[@]}"; do install -m 0755 "$built/$t" "$stage/bin/"; done
    else
        # Windows: the DLL beside the programs, its import library and the static library.
        install -d "$stage/lib" "$stage/include"
        install -m 0755 "$built/license_ffi.dll" "$stage/bin/"
        install -m 0644 "$built/liblicense_ffi.dll.a" "$built/liblicense_ffi.a" "$stage/lib/"
        install -m 0644 ffi/include/license_ffi.h ffi/include/license_ffi.hpp "$stage/include/"
        native="$built/license_ffi.dll"
        for t in "${tools[@]}"; do install -m 0755 "$built/$t.exe" "$stage/bin/"; done
    fi
    python3 bindings/python/build_wheel.py --lib "$native" --out "$stage/python" --plat "$wheel_plat" > /dev/null
    bindings/java/build.sh --no-test --out "$stage/java" "$native:$jna_dir" > /dev/null
    bindings/dotnet/build.sh --no-test --out "$stage/dotnet" "$native:$rid" > /dev/null
    cp bindings/python/examples/license_dialog.py bindings/java/examples/LicenseDialog.java \
        bindings/dotnet/examples/LicenseDialog.cs ffi/examples/license_dialog.cpp "$stage/share/license-kit/examples/"
    doc="$stage/share/license-kit"
    python3 release/third_party.py "$target" "${packages[@]}" > "$doc/THIRD-PARTY-LICENSES.txt"
    if [ "$os" = linux ]; then
        # The highest GLIBC_x.y symbol version any shipped binary needs.
        glibc=$(for f in "$stage"/bin/* "$stage"/lib/liblicense_ffi.so.*; do
                    [ -L "$f" ] || readelf --dyn-syms -W "$f"; done \
                | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n -k3,3n -u | tail -1)
        echo "glibc $glibc or later (highest GLIBC_ symbol version of bin/* and lib/liblicense_ffi.so)" \
            > "$doc/MINIMUM_GLIBC"
        echo "minimum glibc: $glibc"
    fi
    cat > "$doc/README.txt" <<TXT
license-kit $version for $target: the offline license-code verifier without a Rust toolchain.

bin/        ${tools[*]}
include/    license_ffi.h (C), license_ffi.hpp (C++ RAII wrapper)
lib/        the static and shared library$( [ "$os" = linux ] && echo ", pkgconfig/license_ffi.pc, cmake/license_ffi/" )
python/     the wheel: pip install python/license_kit-*.whl
java/       the jar (with JNA 5 on the class path)
dotnet/     the NuGet package (add this folder as a local feed)
share/license-kit/  these notes, MINIMUM_GLIBC (Linux), THIRD-PARTY-LICENSES.txt, examples/

Install steps for CMake, pkg-config, NuGet, Java and pip: ffi/README.md, "Bundle".
Check the files with: sha256sum -c SHA256SUMS
TXT
    (cd "$stage" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
    tar -C "$(dirname "$stage")" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"
    (cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
    rm -rf "$(dirname "$stage")"
    echo "bundle: $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1))"
done
echo "built ${#targets[@]} bundle(s) in $((SECONDS - t0)) s"
