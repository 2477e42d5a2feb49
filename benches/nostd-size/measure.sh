#!/usr/bin/env bash
# Build the minimal no_std verifier for thumbv7em-none-eabihf with and without
# license-core's `fast` feature and print its flash footprint (.text + .rodata + .data)
# and RAM (.data + .bss), as Markdown for BENCHMARKS.md.
#
#   MAX_FLASH=32768 benches/nostd-size/measure.sh    also fail if the default build's
#                                                    flash total exceeds MAX_FLASH bytes
set -euo pipefail
cd "$(dirname "$0")"
target=thumbv7em-none-eabihf
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
dir=${CARGO_TARGET_DIR:-target}
sizer=$(command -v llvm-size || command -v size)
echo "| build | .text | .rodata | .data | .bss | flash total |"
echo "|---|---:|---:|---:|---:|---:|"
for features in "" "fast"; do
    cargo build -q --release --target "$target" ${features:+--features "$features"}
    bin="$dir/$target/release/license-nostd-size"
    read -r text rodata data bss < <("$sizer" -A "$bin" | awk '
        $1==".text"{t=$2} $1==".rodata"{r=$2} $1==".data"{d=$2} $1==".bss"{b=$2}
        END{print t+0, r+0, d+0, b+0}')
    flash=$((text + rodata + data))
    printf '| %s | %d | %d | %d | %d | **%d** (%d.%d KiB) |\n' "${features:-default (no fast)}" \
        "$text" "$rodata" "$data" "$bss" "$flash" $((flash / 1024)) $((flash % 1024 * 10 / 1024))
    if [ -z "$features" ] && [ -n "${MAX_FLASH:-}" ] && [ "$flash" -gt "$MAX_FLASH" ]; then
        echo "nostd-size: $flash bytes of flash exceeds MAX_FLASH=$MAX_FLASH" >&2
        exit 1
    fi
done
