#!/usr/bin/env bash
# Runs the whole test suite N times in a row (default 2) while one busy loop per core keeps every
# core of the machine busy, and prints each run's wall time. The suite must pass like this: it
# waits for events, never for sleeps, and asserts no time or throughput.
#
#   bash scripts/test-under-load.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
cores=$(node -p 'require("node:os").availableParallelism()')
npm run build >/dev/null
pids=()
for _ in $(seq "$cores"); do node -e 'for (;;) {}' & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
echo "== $cores busy loops running; $runs runs of the suite"
for i in $(seq "$runs"); do
  start=$(date +%s)
  npx vitest run --reporter=dot
  echo "== run $i passed in $(( $(date +%s) - start )) s (with $cores cores kept busy)"
done
