# Sluice: `make run` shows the demo ingest on the embedded default; `make test` runs the whole test suite.
JAVA_HOME ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/jdk-25*))
export JAVA_HOME
MVN := ./mvnw -B --no-transfer-progress
APP := target/quarkus-app/quarkus-run.jar
AOT := target/quarkus-app/app.aot
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)

.PHONY: build run test aot clean bench bench-quick bench-smoke bench-crash bench-orchestration lint-proto test-clients validate-deploy

build: $(APP)

$(APP): $(SOURCES)
	$(MVN) -q package -DskipTests

run: $(APP)
	bin/demo

# The API's lint, the Kubernetes manifests' validation, the unit and service tests, the packaged application's
# crash-recovery test (integration tests run after package), then the benchmark harness at tiny size beside the Python
# and Go client libraries against a live service. Those two share nothing (own ports, venvs, data directories; the
# smoke checks rows, never speed) and spend much of their time starting processes and waiting on them, so they run at
# once; --output-sync prints each one's output whole when it ends.
test: lint-proto validate-deploy
	$(MVN) verify && $(MAKE) -j2 --output-sync=target bench-smoke test-clients

# buf checks the protos against buf.yaml; it comes from the npm registry into target/tools.
BUF := target/tools/node_modules/.bin/buf

$(BUF):
	npm install --silent --no-fund --no-audit --prefix target/tools @bufbuild/buf@1.75.0

# buf breaking compares the protos with the API as last committed (API_BASE: any git ref, e.g. API_BASE=v0.1 or the
# commit a change started from, to check the whole change); uncommitted breaking edits fail `make test`.
API_BASE ?= HEAD

lint-proto: $(BUF)
	$(BUF) lint && echo "buf lint: the API protos pass"
	$(BUF) breaking --against '.git#ref=$(API_BASE)' && echo "buf breaking: nothing breaks the API as of $(API_BASE)"

# Renders every kustomization in deploy/kubernetes (the kustomize Go API) and checks each object strictly against the
# Kubernetes and Knative API types, offline (README: Deploying to Kubernetes); Go fetches its modules itself.
GO ?= $(or $(shell command -v go 2>/dev/null),/usr/local/go/bin/go)

validate-deploy:
	cd deploy/validate && $(GO) test -count=1 ./...

# Sluice against dlt on the same data (bench/README.md): full sizes write bench/RESULTS.md (takes a while),
# --quick (about 4 min) bench/RESULTS-quick.md. Both train the AOT cache first, as a deployment would.
bench: $(AOT)
	python3 bench/run.py

bench-quick: $(AOT)
	python3 bench/run.py --quick

$(AOT): $(APP)
	$(MAKE) aot

# The harness's unit tests (rendering, checks; no venv), then the harness at tiny sizes, one run each: fails when a
# tool failed or the results (bench/out/results-tiny.json) lack a scenario or differ from the generator's rows.
bench-smoke: $(APP)
	python3 -m unittest discover -q -s bench/tests -t bench/tests
	python3 bench/run.py --tiny

# The Python and Go client libraries (clients/) against a live `sluice serve` on free ports: clients/test.sh installs
# the Python client into clients/python/.venv, the Go stubs' generators from the Go module proxy, and stops the
# service when done.
test-clients: $(APP) $(BUF)
	BUF=$(BUF) clients/test.sh

# The crash-recovery test (SIGKILL in each stage of a run, into DuckDB and PostgreSQL) at a larger size than in `make test`.
bench-crash: $(APP)
	$(MVN) -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=CrashRecoveryIT -Dsluice.crash.items=1000000

# The orchestration figures (trigger → RUNNING, 1,000 runs at once, 10,000 schedules) against a live `sluice serve`,
# through the Python client: bench/RESULTS-orchestration.md (about 15 min on 2 cores).
bench-orchestration: $(AOT)
	clients/python/install.sh
	clients/python/.venv/bin/python bench/orchestration.py

# Trains the JDK's AOT cache on a one-shot run; bin/sluice then starts with it.
aot: $(APP)
	SLUICE_AOT=train SLUICE_JAVA_OPTS="-Dsluice.data-dir=target/aot-training" bin/sluice run -f bench/tiny.yaml >/dev/null
	rm -rf target/aot-training

clean:
	$(MVN) -q clean
