#!/usr/bin/env bash
# Builds the wheel around a built library, installs it into a fresh virtual environment
# (Debian's python3 with its pytest) and runs the tests against the installed package.
#   bindings/python/test.sh [path/to/liblicense_ffi.so]   (default: target/release)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib=${1:-$root/target/release/liblicense_ffi.so}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python=${PYTHON:-/usr/bin/python3}
wheel=$("$python" "$here/build_wheel.py" --lib "$lib" --out "${WHEEL_OUT:-$work/dist}")
echo "wheel: $wheel"
"$python" -m venv --system-site-packages "$work/venv"
"$work/venv/bin/pip" install -q --no-index --no-deps "$wheel"
cd "$work"   # not the source tree: the tests import the installed package
LICENSE_KIT_REPO="$root" "$work/venv/bin/python" -m pytest -q -p no:cacheprovider "$here/tests"
