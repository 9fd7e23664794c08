#!/usr/bin/env bash
# Generates the Go stubs (./sluicev1) from src/main/proto with buf and the pinned protoc-gen-go plugins, which it
# installs into target/tools/go-bin on first use. `go generate` and clients/test.sh run it, so the stubs always
# match the protos; they are not committed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tools=$root/target/tools
go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
export GOBIN=$tools/go-bin
# buf comes from the npm registry through the Makefile's own target, so its version is pinned in one place.
buf=${BUF:-$tools/node_modules/.bin/buf}
[ -x "$buf" ] || make -C "$root" --no-print-directory target/tools/node_modules/.bin/buf
[ -x "$GOBIN/protoc-gen-go" ] || "$go" install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
[ -x "$GOBIN/protoc-gen-go-grpc" ] || "$go" install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
rm -rf "$root/clients/go/sluicev1"
cd "$root" && PATH=$GOBIN:$PATH "$buf" generate --template clients/go/buf.gen.yaml
