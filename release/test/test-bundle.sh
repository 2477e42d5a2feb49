#!/usr/bin/env bash
# Unpacks a license-kit bundle into an empty prefix and uses it as a customer without Rust
# would, with no cargo on the PATH: checks SHA256SUMS, builds a C++ program with CMake's
# find_package(license_ffi), installs the wheel into a fresh venv and runs the Python
# dialog sample, compiles and runs the Java sample against the jar, compiles and runs the
# C# sample against the DLL extracted from the nupkg, and runs the three tools.
#   release/test/test-bundle.sh target/bundles/license-kit-<version>-<host>.tar.gz
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bundle=$(realpath "$1")
# The vectors' perpetual code for ACME Corp, database DB-7F3A-22C1 (license-core/tests/vectors/v1.json).
code=$(python3 -c 'import json,sys; print(next(c["code"] for c in json.load(open(sys.argv[1]))["cases"] if c["name"]=="perpetual-database"))' \
    "$root/license-core/tests/vectors/v1.json")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME="$work/home"
mkdir -p "$HOME"
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
    echo "FAIL: cargo or rustc is on the PATH" >&2
    exit 1
fi
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }

prefix="$work/prefix"
mkdir -p "$prefix"
[ -z "$(ls -A "$prefix")" ] || fail "prefix not empty"
tar -C "$prefix" --strip-components=1 -xzf "$bundle"
(cd "$prefix" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS"
ok "unpacked into an empty prefix; SHA256SUMS verified ($(wc -l < "$prefix/SHA256SUMS") files)"
grep -q 'glibc [0-9]' "$prefix/share/license-kit/MINIMUM_GLIBC" || fail "MINIMUM_GLIBC"
grep -q '^  ed25519-dalek ' "$prefix/share/license-kit/THIRD-PARTY-LICENSES.txt" || fail "third-party licences"
ok "$(cat "$prefix/share/license-kit/MINIMUM_GLIBC" | cut -d' ' -f1-2) minimum; third-party licences listed"

printf '%s' "$code" > "$work/license.txt"
for t in license-check licensectl license-server; do
    "$prefix/bin/$t" --help > /dev/null || fail "$t --help"
done
ok "bin/license-check, licensectl, license-server run"

# C++ with CMake.
cmake -S "$here" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" > "$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail cmake; }
cmake --build "$work/cmake-build" > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "cmake --build"; }
out=$("$work/cmake-build/check_license" "ACME Corp" DB-7F3A-22C1 "$work/license.txt") || { echo "$out"; fail "C++ program"; }
grep -q "License accepted" <<< "$out" || fail "C++: $out"
out=$("$work/cmake-build/check_license" "ACME Corp" DB-7F3A-22C2 "$work/license.txt") && fail "C++ accepted another database"
grep -q "another database" <<< "$out" || fail "C++: $out"
ok "C++ program built with CMake find_package(license_ffi) accepts the code and refuses another database's"

# pkg-config, relocatable.
cflags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags license_ffi | xargs)
[ "$(realpath "${cflags#-I}")" = "$prefix/include" ] || fail "pkg-config --cflags: $cflags"
libs=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --libs --static license_ffi)
cc -std=c11 -Wall -Werror -x c - -x none $cflags -o "$work/pc_app" "$prefix/lib/liblicense_ffi.a" ${libs#*-llicense_ffi} <<'C'
#include <stdio.h>
#include "license_ffi.h"
int main(void) { printf("%s\n", lic_version()); return 0; }
C
[ "$("$work/pc_app")" = "$(sed -n 's/^#define LIC_VERSION "\(.*\)"$/\1/p' "$prefix/include/license_ffi.h")" ] || fail "pkg-config app"
ok "pkg-config (relocated prefix) gives the include directory and the static flags; a C program links and runs"

dialog_input() { printf '%s\n' "$work/license.txt"; }
data_dir() { local d="$work/data-$1"; mkdir -p "$d"; printf 'DB-7F3A-22C1' > "$d/database-code"; echo "$d"; }

# Python: a fresh venv, the wheel from the bundle.
/usr/bin/python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --no-index --no-deps "$prefix"/python/license_kit-*.whl
out=$(dialog_input | "$work/venv/bin/python" "$prefix/share/license-kit/examples/license_dialog.py" "$(data_dir py)" "ACME Corp") \
    || { echo "$out"; fail "Python program"; }
grep -q "License accepted" <<< "$out" || fail "Python: $out"
ok "Python program against the wheel accepts the code"

# Java: the jar and JNA on the class path.
jna=/usr/share/java/jna.jar
mkdir -p "$work/java"
javac -d "$work/java" -cp "$prefix/java/license-kit-"*.jar "$prefix/share/license-kit/examples/LicenseDialog.java"
out=$(dialog_input | java -cp "$work/java:$(ls "$prefix"/java/license-kit-*.jar):$jna" LicenseDialog "$(data_dir java)" "ACME Corp") \
    || { echo "$out"; fail "Java program"; }
grep -q "License accepted" <<< "$out" || fail "Java: $out"
ok "Java program against the jar accepts the code"

# C#: the DLL and native library extracted from the nupkg, as a local feed's consumer gets them.
mkdir -p "$work/nuget"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$prefix"/dotnet/LicenseKit.*.nupkg "$work/nuget"
mkdir -p "$work/cs"
cp "$work/nuget/lib/net45/LicenseKit.dll" "$work/nuget/runtimes/linux-x64/native/liblicense_ffi.so" "$work/cs/"
mcs -nologo -out:"$work/cs/LicenseDialog.exe" -r:"$work/cs/LicenseKit.dll" "$prefix/share/license-kit/examples/LicenseDialog.cs"
out=$(dialog_input | mono "$work/cs/LicenseDialog.exe" "$(data_dir cs)" "ACME Corp") || { echo "$out"; fail "C# program"; }
grep -q "License accepted" <<< "$out" || fail "C#: $out"
ok "C# program against the nupkg's DLL accepts the code"
echo "bundle test passed: $(basename "$bundle")"
