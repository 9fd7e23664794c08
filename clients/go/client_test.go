package sluice_test

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	sluice "github.com/sluice-io/sluice/clients/go"
	"github.com/sluice-io/sluice/clients/go/sluicev1"
	"google.golang.org/grpc/codes"
)

// runDeadline bounds each test's calls, the watch of a run included.
const runDeadline = 2 * time.Minute

// dial connects to the live service clients/test.sh starts (SLUICE_SERVER).
func dial(t *testing.T) (*sluice.Client, context.Context) {
	t.Helper()
	server := os.Getenv("SLUICE_SERVER")
	if server == "" {
		t.Fatal("SLUICE_SERVER is not set: clients/test.sh starts a service and sets it (or point it at yours)")
	}
	client, err := sluice.Dial(server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), runDeadline)
	t.Cleanup(cancel)
	return client, ctx
}

// pipelineFile fills in clients/testdata/pipeline.yaml: a pipeline of its own loading the CSV and JSONL files there
// into a DuckDB file in a temporary directory. It returns the file and the pipeline's name.
func pipelineFile(t *testing.T) (string, string) {
	t.Helper()
	testdata, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	template, err := os.ReadFile(filepath.Join(testdata, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	name := "go-client-" + unique()[:8]
	values := map[string]string{"NAME": name, "DATA": testdata, "WAREHOUSE": filepath.Join(dir, "warehouse.duckdb")}
	path := filepath.Join(dir, name+".yaml")
	write(t, path, os.Expand(string(template), func(key string) string { return values[key] }))
	return path, name
}

// unique is a random name part, so the tests can run again against the same service.
func unique() string {
	return strings.ToLower(rand.Text())
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRegisterTriggerFollowAndReadSchema(t *testing.T) {
	client, ctx := dial(t)
	path, name := pipelineFile(t)
	registered, err := client.RegisterFromYAML(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if registered.GetName() != name || registered.GetEtag() == "" {
		t.Fatalf("registered %q with etag %q, want %q with an etag", registered.GetName(), registered.GetEtag(), name)
	}

	requestID := "nightly-" + unique()
	first, err := client.Trigger(ctx, name, requestID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := client.Trigger(ctx, name, requestID)
	if err != nil {
		t.Fatal(err)
	}
	if second.GetId() != first.GetId() {
		t.Fatalf("a second trigger with request id %s started run %s beside %s", requestID, second.GetId(), first.GetId())
	}
	runs, err := client.Runs.ListRuns(ctx, &sluicev1.ListRunsRequest{Pipeline: name})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs.GetRuns()) != 1 {
		t.Fatalf("%d runs of %s, want 1", len(runs.GetRuns()), name)
	}

	var kinds []string
	var states []sluicev1.RunState
	final, err := client.Follow(ctx, first.GetId(), func(event *sluicev1.RunEvent) error {
		switch kind := event.GetKind().(type) {
		case *sluicev1.RunEvent_Snapshot:
			kinds = append(kinds, "snapshot")
		case *sluicev1.RunEvent_StateChange:
			kinds = append(kinds, "state_change")
			states = append(states, kind.StateChange.GetTo())
		case *sluicev1.RunEvent_Summary:
			kinds = append(kinds, "summary")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if final.GetState() != sluicev1.RunState_COMPLETED || !sluice.IsTerminal(final.GetState()) {
		t.Fatalf("run ended %s: %s", final.GetState(), final.GetError())
	}
	if len(kinds) == 0 || kinds[0] != "snapshot" || !slices.Contains(kinds, "summary") {
		t.Fatalf("events %v, want a snapshot first and a summary", kinds)
	}
	if len(states) == 0 || states[len(states)-1] != sluicev1.RunState_COMPLETED {
		t.Fatalf("state changes %v, want the last to be COMPLETED", states)
	}
	rows := map[string]int64{}
	for _, table := range final.GetSummary().GetTables() {
		rows[table.GetTable()] = table.GetRows()
	}
	if rows["customers"] != 3 || rows["events"] != 2 {
		t.Fatalf("rows per table %v, want customers 3 and events 2", rows)
	}

	schema, err := client.Schema(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	columns := map[string][]string{}
	for _, table := range schema.GetTables() {
		for _, column := range table.GetColumns() {
			columns[table.GetName()] = append(columns[table.GetName()], column.GetName())
		}
	}
	for table, want := range map[string][]string{"customers": {"id", "name", "score"}, "events": {"id", "kind", "user__id"}} {
		for _, column := range want {
			if !slices.Contains(columns[table], column) {
				t.Errorf("table %s has columns %v, want %s among them", table, columns[table], column)
			}
		}
	}
}

func TestRegisterAgainUpdatesTheSpec(t *testing.T) {
	client, ctx := dial(t)
	path, _ := pipelineFile(t)
	first, err := client.RegisterFromYAML(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(path)
	write(t, path, strings.Replace(string(text), "timeout: 2m", "timeout: 3m", 1))
	second, err := client.RegisterFromYAML(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if second.GetTimeout() != "3m" || second.GetEtag() == first.GetEtag() {
		t.Fatalf("after the update: timeout %q etag %q (before: %q), want 3m and a new etag",
			second.GetTimeout(), second.GetEtag(), first.GetEtag())
	}
}

func TestABadSpecFailsWithEveryFieldViolation(t *testing.T) {
	client, ctx := dial(t)
	path := filepath.Join(t.TempDir(), "bad.yaml")
	write(t, path, "name: go-client-bad\n"+
		"source: { filesystem: { base_path: /tmp, resources: [ { name: '', glob: '' } ] } }\n"+
		"destination: { duckdb: { path: '' } }\n")
	_, err := client.RegisterFromYAML(ctx, path)
	var refused *sluice.Error
	if !errors.As(err, &refused) || refused.Code != codes.InvalidArgument {
		t.Fatalf("got %v, want an INVALID_ARGUMENT *sluice.Error", err)
	}
	want := []string{"source.filesystem.resources[0].name", "source.filesystem.resources[0].glob", "destination.duckdb.path"}
	if got := fields(refused.FieldViolations); !slices.Equal(got, want) {
		t.Fatalf("field violations %v, want %v", got, want)
	}
}

func TestAnUnknownRunIsNotFound(t *testing.T) {
	client, ctx := dial(t)
	_, err := client.Follow(ctx, "no-such-run", nil)
	if sluice.CodeOf(err) != codes.NotFound {
		t.Fatalf("got %v, want NOT_FOUND", err)
	}
}

func fields(violations []sluice.FieldViolation) []string {
	names := make([]string, len(violations))
	for index, violation := range violations {
		names[index] = violation.Field
	}
	return names
}
