#!/usr/bin/env bash
# protoforge format against buf format: buf's own formatter goldens and a corpus, file by file.
#
#   build-support/format/compare.sh [BUF_GIT_DIR] [CORPUS...]
#
# BUF_GIT_DIR is a git directory of bufbuild/buf (the search tool's `fetch github:bufbuild/buf`
# prints one; default /work/.mirror/bufbuild+buf/repo): its private/buf/bufformat/testdata holds
# inputs and `.golden` outputs, of which protoforge must reproduce every one byte for byte (those
# in deprecate/ with `--deprecate` and the prefixes buf's formatter_test.go gives them). CORPUS
# defaults to googleapis current and previous under ../shared/corpus: each tree is copied twice,
# formatted in place by each tool, and the copies compared; then the same with deprecations
# (`buf source edit deprecate` against `protoforge format --deprecate`) of every type under
# `google` and of 600 fields and enum values drawn from the corpus (build-support/format/pick.py).
# buf's deprecate output is formatted once more with `buf format` before comparing: buf sorts the
# file option it adds before the other plain options, where its own formatter then moves it.
# buf is taken from PATH, else installed from the npm registry into build-support/bench/.buf/.
# Exit 1 on any difference.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bufgit=${1:-/work/.mirror/bufbuild+buf/repo}
shift || true
corpora=("$@")
if [ ${#corpora[@]} -eq 0 ]; then
    corpora=("$repo/../shared/corpus/googleapis/current" "$repo/../shared/corpus/googleapis/previous")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

buf=$(command -v buf || true)
if [ -z "$buf" ]; then
    buf="$repo/build-support/bench/.buf/node_modules/.bin/buf"
    if [ ! -x "$buf" ]; then
        command -v npm >/dev/null || { echo "buf is not on PATH and npm is missing to install it" >&2; exit 2; }
        npm install --silent --prefix "$repo/build-support/bench/.buf" @bufbuild/buf >&2
    fi
fi
echo "buf $("$buf" --version)" >&2
(cd "$repo" && cargo build --release --quiet)
pf="$repo/target/release/protoforge"
status=0

# Goldens.
git --git-dir="$bufgit" archive HEAD private/buf/bufformat/testdata | tar -x -C "$work"
pass=0
fail=0
while IFS= read -r input; do
    golden=${input%.proto}.golden
    if "$pf" format "$input" 2>/dev/null | cmp -s - "$golden"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "  golden differs: ${input#"$work"/}" >&2
    fi
done < <(find "$work/private/buf/bufformat/testdata" -name '*.proto' -not -path '*/deprecate/*' | sort)
# The deprecate/ goldens, with the prefixes of buf's TestFormatterWithDeprecation.
dep="$work/private/buf/bufformat/testdata/deprecate"
while read -r file prefixes; do
    args=()
    for p in $prefixes; do args+=(--deprecate "$p"); done
    if "$pf" format "${args[@]}" "$dep/$file.proto" 2>/dev/null | cmp -s - "$dep/$file.golden"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "  golden differs: deprecate/$file.proto" >&2
    fi
done <<'PREFIXES'
already_deprecated test.deprecate
nested_types test.deprecate
field_deprecation test.deprecate test.deprecate.MyMessage.id
enum_value_deprecation test.deprecate test.deprecate.STATUS_ACTIVE test.deprecate.STATUS_INACTIVE test.deprecate.OuterMessage.NESTED_STATUS_ACTIVE
PREFIXES
echo "buf's goldens: $pass of $((pass + fail)) reproduced byte for byte"
[ "$fail" -eq 0 ] || status=1

# Corpora.
for corpus in "${corpora[@]}"; do
    name=$(basename "$corpus")
    rm -rf "$work/buf" "$work/pf"
    cp -r "$corpus" "$work/buf"
    cp -r "$corpus" "$work/pf"
    (cd "$work/buf" && "$buf" format -w .)
    "$pf" format -w -q "$work/pf"
    total=$(find "$work/pf" -name '*.proto' | wc -l)
    differ=$(diff -rq "$work/buf" "$work/pf" | wc -l || true)
    echo "$name: $((total - differ)) of $total files identical"
    if [ "$differ" -ne 0 ]; then
        diff -rq "$work/buf" "$work/pf" | head -20 >&2 || true
        status=1
    fi

    # Deprecations: every type under `google`, and fields and enum values by exact name.
    rm -rf "$work/buf" "$work/pf"
    cp -r "$corpus" "$work/buf"
    cp -r "$corpus" "$work/pf"
    (cd "$work/buf" && "$buf" build --as-file-descriptor-set -o "$work/image.json" .)
    bufargs=(--prefix google)
    pfargs=(--deprecate google)
    while IFS= read -r p; do
        bufargs+=(--prefix "$p")
        pfargs+=(--deprecate "$p")
    done < <(python3 "$here/pick.py" "$work/image.json" 1 400)
    (cd "$work/buf" && "$buf" source edit deprecate "${bufargs[@]}" .)
    "$pf" format -w -q "${pfargs[@]}" "$work/pf"
    unstable=$(diff -rq "$work/buf" "$work/pf" | wc -l || true)
    (cd "$work/buf" && "$buf" format -w .)
    differ=$(diff -rq "$work/buf" "$work/pf" | wc -l || true)
    echo "$name with $((${#pfargs[@]} / 2)) deprecate prefixes: $((total - differ)) of $total" \
        "files identical ($unstable differ before buf's output is formatted again)"
    if [ "$differ" -ne 0 ]; then
        diff -rq "$work/buf" "$work/pf" | head -20 >&2 || true
        status=1
    fi
done
exit $status
