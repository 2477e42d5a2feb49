#!/usr/bin/env bash
# The C tests against the Windows build of license-ffi, under Wine (ffi/tests/wine.rs):
# builds license-ffi for x86_64-pc-windows-gnu (with the test hooks the C tests use), then
# runs the ignored test. Needs wine/wine64, gcc-mingw-w64-x86-64 and the rustup target.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
# A Wine prefix kept between runs (its first start takes a while), owned by this user.
export WINEPREFIX="${WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/license-kit-wine}"
export WINEDEBUG=-all
[ -d "$WINEPREFIX" ] || wineboot --init > /dev/null 2>&1 || true
cargo build -p license-ffi --features test-hooks --target x86_64-pc-windows-gnu
cargo test -p license-ffi --test wine -- --ignored --nocapture
