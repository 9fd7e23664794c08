#!/usr/bin/env bash
# Start-up of the service: milliseconds from launching `sluice serve` to the first answered gRPC call (a health
# check through grpcurl), and wall time of a one-shot `sluice run` of a tiny pipeline. Median of N tries.
# Usage: bench/startup.sh [N]   (needs `make build`; grpcurl on PATH or in ~/go/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
tries=${1:-5}
grpcurl=$(command -v grpcurl || echo "$HOME/go/bin/grpcurl")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

first_call_ms() {
  local start server
  start=$(now_ms)
  SLUICE_JAVA_OPTS="$* -Dquarkus.grpc.server.port=19000 -Dquarkus.http.port=19080 -Dsluice.data-dir=$work/data -Dsluice.serve.pipelines=" \
    bin/sluice serve >/dev/null 2>&1 &
  server=$!
  until "$grpcurl" -plaintext -max-time 1 localhost:19000 grpc.health.v1.Health/Check >/dev/null 2>&1; do kill -0 "$server" 2>/dev/null || { echo "serve died" >&2; exit 1; }; sleep 0.01; done
  echo $(( $(now_ms) - start ))
  kill "$server"; wait "$server" 2>/dev/null || true
  rm -rf "$work/data"
}

one_shot_ms() {
  local start
  start=$(now_ms)
  SLUICE_JAVA_OPTS="$* -Dsluice.data-dir=$work/data" bin/sluice run -f bench/tiny.yaml >/dev/null
  echo $(( $(now_ms) - start ))
  rm -rf "$work/data"
}

report() {
  local label=$1; shift
  local first run
  first=$(for _ in $(seq "$tries"); do first_call_ms "$@"; done | median)
  run=$(for _ in $(seq "$tries"); do one_shot_ms "$@"; done | median)
  printf '| %s | %s ms | %s ms |\n' "$label" "$first" "$run"
}

echo "| JVM | serve → first gRPC call | one-shot tiny run |"
echo "| --- | --- | --- |"
aot=target/quarkus-app/app.aot
rm -f "$aot"
report "plain"
make -s aot
report "AOT cache"
