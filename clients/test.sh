#!/usr/bin/env bash
# The client libraries' tests against a live service: installs the Python client (its stubs generated from the
# protos as it builds) into clients/python/.venv, generates the Go stubs, starts the packaged `sluice serve` (make
# build) on free ports in a temporary data directory, runs the Python and Go tests against it, and stops it — also
# when a test fails or the script is interrupted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
venv=clients/python/.venv
ready_deadline=${SLUICE_READY_SECONDS:-90}

clients/python/install.sh
# Go: the stubs from the protos as they are now.
GO=$go clients/go/generate.sh

data=$(mktemp -d "${TMPDIR:-/tmp}/sluice-clients.XXXXXX")
read -r grpc_port http_port < <("$venv/bin/python" - <<'PY'
import socket
sockets = [socket.socket() for _ in range(2)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
PY
)
SLUICE_JAVA_OPTS="-Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.grpc.server.port=$grpc_port \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$http_port -Dsluice.data-dir=$data/data -Dsluice.serve.pipelines= -Dsluice.auth.enabled=false" \
  bin/sluice serve >"$data/serve.log" 2>&1 &
server=$!

stop() {
  local status=$?
  if kill -0 "$server" 2>/dev/null; then
    kill "$server"
    for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server" 2>/dev/null || true
  fi
  wait "$server" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    echo "clients: failed; the service's log:" >&2
    tail -n 40 "$data/serve.log" >&2
  fi
  rm -rf "$data"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

# Ready when /q/health/ready says so (the gRPC server is one of its checks), within the deadline.
"$venv/bin/python" - "$http_port" "$ready_deadline" "$server" <<'PY'
import os, sys, time, urllib.request
port, deadline, pid = int(sys.argv[1]), time.monotonic() + float(sys.argv[2]), int(sys.argv[3])
while True:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/q/health/ready", timeout=2) as response:
            if response.status == 200:
                break
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("clients: sluice serve exited before it was ready")
    if time.monotonic() > deadline:
        sys.exit(f"clients: sluice serve was not ready within {sys.argv[2]} s")
    time.sleep(0.2)
PY
export SLUICE_SERVER=127.0.0.1:$grpc_port
echo "clients: sluice serve ready at $SLUICE_SERVER"

# An example passes when it loads clients/testdata (filled in as a pipeline of its own) and prints the rows.
example() {
  local name=$1
  shift
  sed -e "s#\${NAME}#$name#" -e "s#\${DATA}#$root/clients/testdata#" -e "s#\${WAREHOUSE}#$data/$name.duckdb#" \
    clients/testdata/pipeline.yaml >"$data/$name.yaml"
  if "$@" "$data/$name.yaml" >"$data/$name.out" 2>&1 && grep -q '^customers: 3 rows$' "$data/$name.out"; then
    echo "clients: example $name loaded and watched its run"
  else
    echo "clients: example $name failed:" >&2
    cat "$data/$name.out" >&2
    return 1
  fi
}

failed=0
"$venv/bin/python" -m pytest -q -p no:cacheprovider clients/python/tests || failed=1
(cd clients/go && "$go" test -count=1 ./...) || failed=1
example python-example "$venv/bin/python" clients/python/examples/load_and_watch.py --request-id example-1 || failed=1
example go-example "$go" -C clients/go run ./examples/load-and-watch -request-id example-1 || failed=1
exit "$failed"
