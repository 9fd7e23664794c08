package sluice

import (
	"errors"
	"slices"
	"testing"

	"github.com/sluice-io/sluice/clients/go/sluicev1"
)

func TestParsePipelineReadsTheJSONMappingWithEnumsInAnyCase(t *testing.T) {
	pipeline, err := ParsePipeline([]byte(`
name: orders
timeout: 90
source:
  filesystem:
    base_path: data
    resources: [ { name: orders, glob: "*.jsonl", write_disposition: merge, primary_key: [id] } ]
destination: { duckdb: { path: w.duckdb } }
`), "orders.yaml")
	if err != nil {
		t.Fatal(err)
	}
	resource := pipeline.GetSource().GetFilesystem().GetResources()[0]
	if resource.GetWriteDisposition() != sluicev1.WriteDisposition_MERGE || pipeline.GetTimeout() != "90" {
		t.Fatalf("read %v", pipeline)
	}
}

func TestParsePipelineNamesEveryProblemInTheFilesOrder(t *testing.T) {
	_, err := ParsePipeline([]byte("name: typo\nsource: { filesystem: { resources: [ { name: a, glob: [x], globb: b } ] } }\n"),
		"typo.yaml")
	var refused *Error
	if !errors.As(err, &refused) {
		t.Fatalf("got %v, want an *Error", err)
	}
	want := []string{"source.filesystem.resources[0].glob", "source.filesystem.resources[0].globb"}
	var got []string
	for _, violation := range refused.FieldViolations {
		got = append(got, violation.Field)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("field violations %v, want %v", got, want)
	}
}
