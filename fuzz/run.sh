#!/usr/bin/env bash
# Fuzz every target of this package (cargo-fuzz, nightly toolchain).
#
#   fuzz/run.sh short [SECONDS]      each target for SECONDS (default 20), one after the other (CI)
#   fuzz/run.sh long [RUNS] [JOBS]   each target for RUNS executions (default 10000000),
#                                    JOBS targets at a time (default 2); logs and a summary
#                                    table in fuzz/logs/
#   fuzz/run.sh list                 the targets
#
# Environment: FUZZ_TARGETS="a b" restricts the targets; FUZZ_SANITIZER=none builds without
# AddressSanitizer (faster; our crates forbid unsafe code); FUZZ_TOOLCHAIN (default nightly).
#
# Seeds come from license-core's golden vectors (fuzz/seed.py). Any crash fails the run and
# leaves its input in fuzz/artifacts/<target>/: turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-short}
toolchain=${FUZZ_TOOLCHAIN:-nightly}
sanitizer=${FUZZ_SANITIZER:-address}

if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    echo "fuzz: the $toolchain toolchain is not installed (rustup toolchain install $toolchain)" >&2
    exit 1
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --version 0.13.2 --locked
fi

targets=${FUZZ_TARGETS:-$(cargo "+$toolchain" fuzz list)}

summary() { # log file -> "executions cov ft seconds"
    local log=$1
    local execs cov ft secs
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    cov=$(grep -o 'DONE *cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    ft=$(grep -o 'DONE .* ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | grep -o 'in [0-9]*' | grep -o '[0-9]*' || true)
    echo "${execs:-?} ${cov:-?} ${ft:-?} ${secs:-?}"
}

run_one() { # target, libFuzzer limit flag, log
    local t=$1 limit=$2 log=$3
    mkdir -p "corpus/$t"
    if cargo "+$toolchain" fuzz run -s "$sanitizer" "$t" "corpus/$t" -- "$limit" -print_final_stats=1 >"$log" 2>&1; then
        return 0
    fi
    echo "fuzz: $t FAILED; input in fuzz/artifacts/$t/, log $log:" >&2
    grep -E -A15 'panicked|ERROR: libFuzzer|ERROR: AddressSanitizer' "$log" | head -40 >&2 || tail -40 "$log" >&2
    return 1
}

case "$mode" in
list)
    echo "$targets"
    ;;
short)
    secs=${2:-20}
    python3 seed.py
    cargo "+$toolchain" fuzz build -s "$sanitizer"
    mkdir -p logs
    failed=0
    for t in $targets; do
        if run_one "$t" "-max_total_time=$secs" "logs/short-$t.log"; then
            read -r execs cov ft _ <<<"$(summary "logs/short-$t.log")"
            printf 'fuzz %-18s ok: %s executions in %ss, cov %s, ft %s\n' "$t" "$execs" "$secs" "$cov" "$ft"
        else
            failed=1
        fi
    done
    exit "$failed"
    ;;
long)
    runs=${2:-10000000}
    jobs=${3:-2}
    python3 seed.py
    cargo "+$toolchain" fuzz build -s "$sanitizer"
    mkdir -p logs
    export -f run_one
    export toolchain sanitizer
    status=0
    printf '%s\n' $targets | xargs -P "$jobs" -I{} bash -c 'run_one "$1" "-runs='"$runs"'" "logs/long-$1.log"' _ {} || status=1
    {
        echo "| target | executions | seconds | cov | ft | result |"
        echo "|---|---:|---:|---:|---:|---|"
        for t in $targets; do
            read -r execs cov ft secs <<<"$(summary "logs/long-$t.log")"
            result=ok
            grep -qE 'panicked|ERROR: libFuzzer|ERROR: AddressSanitizer' "logs/long-$t.log" && result=CRASH
            echo "| $t | $execs | $secs | $cov | $ft | $result |"
        done
    } | tee "logs/summary-$(date +%Y%m%dT%H%M).md"
    exit "$status"
    ;;
*)
    echo "usage: fuzz/run.sh short [SECONDS] | long [RUNS] [JOBS] | list" >&2
    exit 2
    ;;
esac
