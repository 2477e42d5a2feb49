#!/usr/bin/env bash
# Verify cost through each binding against the C ABI, in the same run: N verifications of
# the golden vectors' reference code (machine-bound, the fingerprint supplied by the host)
# per program, after warm-up, in alternating rounds C, Python, Java, C#; prints each
# round's nanoseconds per verification, the medians, and each binding's ratio to C: the
# median of the per-round ratios (each against the C run just before it, which cancels
# most of the drift of a shared machine) decides against the target of at most 1.5. All
# use the same release shared library.
#   bindings/bench/run.sh [N=2000] [ROUNDS=5]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-2000}
rounds=${2:-5}
lib="${LICENSE_KIT_BENCH_LIB:-$root/target/release/liblicense_ffi.so}"
[ -f "$lib" ] || { echo "build it first: cargo build -p license-ffi --release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t args < <(python3 - "$root/license-core/tests/vectors/v1.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
ref = next(c for c in v["cases"] if c["name"] == "reference")
raw = v["reference_machine_raw"]
for x in (ref["code"], v["public_key"], raw["os-install-id"], raw["hardware-uuid"], raw["cpu"], raw["network"], "1795348800"):
    print(x)
PY
)
args+=("$n")
# The packages, as the tests build them, around the same library.
mkdir -p "$work/native"
cp "$lib" "$work/native/"
ln -s liblicense_ffi.so "$work/native/liblicense_ffi.so.0"   # the SONAME the C program records
cc -O2 -std=c11 -I "$root/ffi/include" "$here/verify_c.c" -L "$work/native" -llicense_ffi \
    -Wl,-rpath,"$work/native" -o "$work/verify_c"
/usr/bin/python3 "$root/bindings/python/build_wheel.py" --lib "$lib" --out "$work/whl" > /dev/null
/usr/bin/python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --no-index --no-deps "$work"/whl/*.whl
"$root/bindings/java/build.sh" --no-test --out "$work/java" "$lib" > /dev/null
javac -d "$work/java" -cp "$(ls "$work"/java/license-kit-*.jar):/usr/share/java/jna.jar" "$here/VerifyBench.java"
"$root/bindings/dotnet/build.sh" --no-test --out "$work/dotnet" "$lib:linux-x64" > /dev/null
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$work"/dotnet/*.nupkg "$work/nupkg"
cp "$work/nupkg/lib/net45/LicenseKit.dll" "$work/native/"
mcs -nologo -optimize+ -out:"$work/native/VerifyBench.exe" -r:"$work/native/LicenseKit.dll" "$here/VerifyBench.cs"

declare -A all ratios
for r in $(seq 1 "$rounds"); do
    c=$("$work/verify_c" "${args[@]}")
    py=$("$work/venv/bin/python" "$here/verify_py.py" "${args[@]}")
    java=$(java -cp "$work/java:$(ls "$work"/java/license-kit-*.jar):/usr/share/java/jna.jar" VerifyBench "${args[@]}")
    cs=$(LD_LIBRARY_PATH="$work/native" mono "$work/native/VerifyBench.exe" "${args[@]}")
    echo "round $r: C $c ns, Python $py ns, Java $java ns, C# $cs ns per verification"
    all[C]+="$c "; all[Python]+="$py "; all[Java]+="$java "; all[C#]+="$cs "
    ratios[Python]+="$(awk -v b="$py" -v c="$c" 'BEGIN {print b / c}') "
    ratios[Java]+="$(awk -v b="$java" -v c="$c" 'BEGIN {print b / c}') "
    ratios[C#]+="$(awk -v b="$cs" -v c="$c" 'BEGIN {print b / c}') "
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
c_med=$(echo "${all[C]}" | median)
echo "median of $rounds rounds, $n verifications each:"
echo "  C ABI   $c_med ns"
status=0
for b in Python Java C#; do
    m=$(echo "${all[$b]}" | median)
    of_medians=$(awk -v m="$m" -v c="$c_med" 'BEGIN {printf "%.2f", m / c}')
    ratio=$(echo "${ratios[$b]}" | median | awk '{printf "%.2f", $1}')
    verdict=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.5) ? "PASS" : "FAIL"}')
    [ "$verdict" = PASS ] || status=1
    echo "  $b $m ns: median per-round ratio ${ratio}x the C call, ratio of medians ${of_medians}x ($verdict, target 1.5)"
done
exit $status
