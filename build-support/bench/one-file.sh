#!/usr/bin/env bash
# The pre-commit case: `protoforge check` of one small file in a large tree, as a hook runs it
# (`check --no-breaking --quiet FILE`), with and without the result cache.
#
#   build-support/bench/one-file.sh [TREE] [FILE] [RUNS]
#
# TREE defaults to ../shared/corpus/googleapis/current next to the checkout, FILE to
# google/type/date.proto, RUNS to 200. The binary is target/release/protoforge (built first).
# Each run is one process, started with posix_spawn and waited for; the cost of starting a process
# at all (/bin/true, the same way) is printed too. Exits 1 when a median is over the target, 5 ms.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tree=$(cd "${1:-$repo/../shared/corpus/googleapis/current}" && pwd)
file=${2:-google/type/date.proto}
runs=${3:-200}
[ -f "$tree/$file" ] || { echo "one-file.sh: $tree/$file does not exist" >&2; exit 2; }

cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin protoforge
bin="$repo/target/release/protoforge"
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT

cd "$tree"
PROTOFORGE_CACHE_DIR="$cache" python3 - "$bin" "$file" "$runs" <<'PY'
import os, statistics, sys, time

binary, file, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
TARGET_MS = 5.0
devnull = os.open(os.devnull, os.O_WRONLY)

def once(argv):
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status = os.waitpid(pid, 0)
    return (time.perf_counter() - started) * 1000, os.waitstatus_to_exitcode(status)

def measure(name, argv, target=None):
    code = once(argv)[1]  # warm the page cache (and the result cache, when on)
    times = sorted(once(argv)[0] for _ in range(runs))
    median = statistics.median(times)
    p90 = times[int(len(times) * 0.9)]
    verdict = ""
    if target is not None:
        verdict = "  ok" if median <= target else f"  OVER the {target} ms target"
    print(f"{name:<34} median {median:6.2f} ms  min {times[0]:6.2f}  p90 {p90:6.2f}  (exit {code}){verdict}")
    return median

print(f"{runs} runs each, in {os.getcwd()}, file {file}")
measure("process start (/bin/true)", ["/bin/true"])
over = False
for name, extra in [("check, result cache off", ["--no-cache"]), ("check, result cache on", [])]:
    median = measure(name, [binary, "check", "--no-breaking", "--quiet", *extra, file], TARGET_MS)
    over |= median > TARGET_MS
sys.exit(1 if over else 0)
PY
