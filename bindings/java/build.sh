#!/usr/bin/env bash
# Builds license-kit-<version>.jar with the JDK's own tools (no Maven, no Gradle), with the
# native library inside under JNA's platform folder, and runs the JUnit 4 tests against
# the jar (Debian's libjna-java and junit4).
#   bindings/java/build.sh [--no-test] [--out DIR] LIB[:PLATFORM] ...
# PLATFORM is JNA's folder name (linux-x86-64, linux-aarch64, win32-x86-64); the default
# is this machine's. Several libraries make one jar for several platforms.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jna=${JNA_JAR:-/usr/share/java/jna.jar}
junit=${JUNIT_JAR:-/usr/share/java/junit4.jar}
hamcrest=${HAMCREST_JAR:-/usr/share/java/hamcrest-core.jar}
test=1
out="$root/target/bindings/java"
libs=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-test) test=0 ;;
        --out) out=$2; shift ;;
        *) libs+=("$1") ;;
    esac
    shift
done
[ ${#libs[@]} -gt 0 ] || libs=("$root/target/release/liblicense_ffi.so")
version=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes" "$work/test-classes" "$out"
javac --release 17 -Xlint:all -Werror -d "$work/classes" -cp "$jna" "$here"/src/main/java/com/licensekit/*.java
for spec in "${libs[@]}"; do
    lib=${spec%%:*}
    platform=${spec#"$lib"}
    platform=${platform#:}
    if [ -z "$platform" ]; then
        case "$(uname -m)" in
            x86_64) platform=linux-x86-64 ;;
            aarch64) platform=linux-aarch64 ;;
            *) echo "set the platform of $lib" >&2; exit 2 ;;
        esac
    fi
    mkdir -p "$work/classes/$platform"
    cp "$lib" "$work/classes/$platform/"
done
jar_file="$out/license-kit-$version.jar"
printf 'Implementation-Title: license-kit\nImplementation-Version: %s\n' "$version" > "$work/manifest"
jar --create --file "$jar_file" --manifest "$work/manifest" -C "$work/classes" .
echo "jar: $jar_file"
[ "$test" = 1 ] || exit 0
javac --release 17 -Xlint:all -Xlint:-serial -d "$work/test-classes" -cp "$jar_file:$jna:$junit" \
    "$here"/src/test/java/com/licensekit/*.java "$here"/examples/*.java
java -Dlicensekit.repo="$root" -cp "$work/test-classes:$jar_file:$jna:$junit:$hamcrest" com.licensekit.TestRunner
