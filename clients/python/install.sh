#!/usr/bin/env bash
# Installs the Python client (its stubs generated from the protos as it builds) into clients/python/.venv, for the
# client tests (clients/test.sh) and the orchestration benchmark (make bench-orchestration).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
venv=clients/python/.venv
# The package builds without isolation (much faster than a fresh build environment each time), so its build
# requirements (pyproject.toml) go into the venv first; the package then brings its own dependencies.
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import sys, tomllib; print(*tomllib.load(open(sys.argv[1], "rb"))["build-system"]["requires"], sep="\n")' \
  clients/python/pyproject.toml >"$venv/build-requirements.txt"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$venv/build-requirements.txt" "pytest>=8"
rm -rf clients/python/build
"$venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation ./clients/python
