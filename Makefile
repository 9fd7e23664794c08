# Sluice: `make run` shows the demo ingest on the embedded default; `make test` runs the whole test suite.
JAVA_HOME ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/jdk-25*))
export JAVA_HOME
MVN := ./mvnw -B --no-transfer-progress
APP := target/quarkus-app/quarkus-run.jar
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)

.PHONY: build run test clean

build: $(APP)

$(APP): $(SOURCES)
	$(MVN) -q package -DskipTests

run: $(APP)
	bin/demo

test:
	$(MVN) test

clean:
	$(MVN) -q clean
