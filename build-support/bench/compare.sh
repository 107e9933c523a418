#!/usr/bin/env bash
# protoforge and buf side by side on a large tree, in one run on one machine.
#
#   build-support/bench/compare.sh [CORPUS] [RUNS]
#
# CORPUS holds `current/` and `previous/` (default: ../shared/corpus/googleapis next to the
# checkout); RUNS is the number of timed runs per command (default 5; the median is reported).
# buf is taken from PATH, else installed from the npm registry into build-support/bench/.buf/.
# Prints wall time and peak memory per command, the ratios against the targets, and whether the
# two tools' findings agree where their rules are the same. Formatting is timed as CI runs it
# (`buf format -d` against `protoforge format --check --diff`); build-support/format/compare.sh
# checks that the two write the same files.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
corpus=$(cd "${1:-$repo/../shared/corpus/googleapis}" && pwd)
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "compare.sh needs $tool" >&2; exit 2; }
done

buf=$(command -v buf || true)
if [ -z "$buf" ]; then
    buf="$here/.buf/node_modules/.bin/buf"
    if [ ! -x "$buf" ]; then
        command -v npm >/dev/null || { echo "buf is not on PATH and npm is missing to install it" >&2; exit 2; }
        echo "installing buf from the npm registry into $here/.buf" >&2
        npm install --silent --prefix "$here/.buf" @bufbuild/buf >&2
    fi
fi
echo "buf $("$buf" --version), protoforge $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo '?')" >&2

echo "building protoforge (release)" >&2
(cd "$repo" && cargo build --release --quiet)
pf="$repo/target/release/protoforge"

# The same rules on both sides: buf v2 defaults (STANDARD lint), WIRE_JSON for breaking.
buf_lint_config='{"version":"v2","lint":{"use":["STANDARD"]}}'
buf_breaking_config='{"version":"v2","breaking":{"use":["WIRE_JSON"]}}'
printf '[breaking]\nuse = ["WIRE_JSON"]\n' > "$work/protoforge.toml"

# measure NAME DIR CMD...: RUNS timed runs; appends "NAME wall_s peak_kb" medians to $work/times.
measure() {
    local name=$1 dir=$2
    shift 2
    : > "$work/runs"
    local start end
    for _ in $(seq "$runs"); do
        # Wall time from the clock in nanoseconds (time's %e has 10 ms steps), peak RSS from time.
        start=$(date +%s%N)
        (cd "$dir" && /usr/bin/time -f "%M" -o "$work/one" "$@" > /dev/null 2>&1) || true
        end=$(date +%s%N)
        echo "$(( (end - start) / 1000 )) $(tail -1 "$work/one")" >> "$work/runs"
    done
    python3 - "$name" "$work/runs" >> "$work/times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[2]) if l.strip()]
wall = statistics.median(int(r[0]) for r in rows) / 1e6
mem = statistics.median(int(r[1]) for r in rows)
print(sys.argv[1], wall, mem)
PY
    echo "  $(tail -1 "$work/times")" >&2
}

cur="$corpus/current"
one_file=google/type/date.proto
export PROTOFORGE_NO_CACHE=1
echo "timing ($runs runs each)" >&2
measure buf_lint "$cur" "$buf" lint --config "$buf_lint_config"
measure pf_lint "$cur" "$pf" lint --format json .
measure buf_breaking "$cur" "$buf" breaking . --against ../previous --config "$buf_breaking_config"
measure pf_breaking "$cur" "$pf" --config "$work/protoforge.toml" breaking --format json . --against ../previous
measure buf_one_file "$cur" "$buf" lint --config "$buf_lint_config" --path "$one_file"
measure pf_one_file "$cur" "$pf" check -I . "$one_file"
measure buf_format "$cur" "$buf" format -d .
measure pf_format "$cur" "$pf" format --check --diff .
unset PROTOFORGE_NO_CACHE
export PROTOFORGE_CACHE_DIR="$work/cache"
(cd "$cur" && "$pf" lint . > /dev/null 2>&1 || true)
measure pf_lint_cached "$cur" "$pf" lint .

echo "findings" >&2
(cd "$cur" && "$buf" lint --config "$buf_lint_config" --error-format json > "$work/buf_lint.json" 2>/dev/null || true)
(cd "$cur" && PROTOFORGE_NO_CACHE=1 "$pf" lint --format json . > "$work/pf_lint.json" || true)
(cd "$cur" && "$buf" breaking . --against ../previous --config "$buf_breaking_config" --error-format json > "$work/buf_breaking.json" 2>/dev/null || true)
(cd "$cur" && PROTOFORGE_NO_CACHE=1 "$pf" --config "$work/protoforge.toml" breaking --format json . --against ../previous > "$work/pf_breaking.json" || true)

python3 - "$work" <<'PY'
import collections, json, sys
work = sys.argv[1]
t = {}
for line in open(f"{work}/times"):
    name, wall, mem = line.split()
    t[name] = (float(wall), int(mem))

def buf_findings(path):
    out = collections.Counter()
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            f = json.loads(line)
            out[(f["path"], f["type"])] += 1
    return out

def pf_findings(path):
    return collections.Counter((f["file"], f["rule"]) for f in json.load(open(path))["findings"])

print(f"{'command':<16}{'protoforge':>14}{'buf':>14}{'ratio':>9}   target")
rows = [
    ("lint", "pf_lint", "buf_lint", 0.33, 0.25),
    ("breaking", "pf_breaking", "buf_breaking", 0.25, 0.20),
    ("one file", "pf_one_file", "buf_one_file", 0.20, None),
    ("format -d", "pf_format", "buf_format", 0.20, None),
]
ok = True
for label, pf, buf, wall_target, mem_target in rows:
    (pw, pm), (bw, bm) = t[pf], t[buf]
    wr = pw / bw
    good = wr <= wall_target
    ok &= good
    print(f"{label + ' wall':<16}{pw:>12.3f} s{bw:>12.3f} s{wr:>9.3f}   <= {wall_target} {'ok' if good else 'MISSED'}")
    mr = pm / bm
    line = f"{label + ' memory':<16}{pm / 1024:>11.0f} MB{bm / 1024:>11.0f} MB{mr:>9.3f}"
    if mem_target is not None:
        good = mr <= mem_target
        ok &= good
        line += f"   <= {mem_target} {'ok' if good else 'MISSED'}"
    print(line)
cw = t["pf_lint_cached"][0]
good = cw <= 1.0
ok &= good
print(f"{'lint, cached':<16}{cw:>12.2f} s{'':>14}{'':>9}   <= 1 s {'ok' if good else 'MISSED'}")
ow = t["pf_one_file"][0]
good = ow <= 0.020
ok &= good
print(f"{'one file':<16}{ow * 1000:>11.1f} ms{'':>14}{'':>9}   <= 20 ms {'ok' if good else 'MISSED'}")

for kind in ("lint", "breaking"):
    b = buf_findings(f"{work}/buf_{kind}.json")
    p = pf_findings(f"{work}/pf_{kind}.json")
    same = sum((b & p).values())
    print(f"\n{kind} findings: buf {sum(b.values())}, protoforge {sum(p.values())}, same (file, rule) {same}")
    for name, extra in (("only buf", b - p), ("only protoforge", p - b)):
        by_rule = collections.Counter()
        for (file, rule), n in extra.items():
            by_rule[rule] += n
        if by_rule:
            print(f"  {name}: " + ", ".join(f"{r} {n}" for r, n in by_rule.most_common()))
sys.exit(0 if ok else 1)
PY
