#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 10), seeded from testdata/ and seeds/.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
#   build-support/fuzz/run.sh 600          # ten minutes per target
#   build-support/fuzz/run.sh 60 fix       # one target
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-10}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(load lint_breaking fix format ledger config http_template grpc_timeout cel)
fi
root=../..
for target in "${targets[@]}"; do
  corpus="$root/target/fuzz-corpus/$target"
  mkdir -p "$corpus"
  case "$target" in
    load | lint_breaking | fix | format) seeds=("$root/testdata/lint" "$root/testdata/breaking" "$root/testdata/codegen") ;;
    ledger) seeds=(seeds/ledger) ;;
    *) seeds=("seeds/$target") ;;
  esac
  echo "fuzz: $target for ${seconds}s"
  # -rss_limit_mb bounds memory; -timeout flags any input that takes over 10 s (a hang).
  log="$root/target/fuzz-corpus/$target.log"
  status=0
  cargo +nightly fuzz run --fuzz-dir . --target-dir "$root/target/fuzz" "$target" "$corpus" "${seeds[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 \
    > "$log" 2>&1 || status=$?
  grep -E "^(Done|stat::number_of_executed_units|SUMMARY)" "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$log"
    echo "fuzz: $target failed (exit $status); the input is under build-support/fuzz/artifacts/$target"
    exit 1
  fi
done
