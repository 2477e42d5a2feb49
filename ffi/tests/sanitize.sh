#!/usr/bin/env bash
# The C tests of the ffi crate under AddressSanitizer + UndefinedBehaviorSanitizer and
# under valgrind (memory errors and definite or possible leaks fail the run; the standard
# library's one-time allocation per thread is suppressed by ffi/valgrind.supp). Installs valgrind with
# apt-get when it is missing and this runs as root (fresh CI machines).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v valgrind >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
    else
        echo "valgrind is missing: install it (apt-get install valgrind)" >&2
        exit 1
    fi
fi
cargo test -p license-ffi --test sanitize -- --ignored
