package sluice

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sluice-io/sluice/clients/go/sluicev1"
)

func TestParsePipelineReadsEnumsInAnyCaseYAML12KeysAndScalarsAsText(t *testing.T) {
	pipeline, err := ReadPipeline(filepath.Join("..", "testdata", "spellings.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	resource := pipeline.GetSource().GetFilesystem().GetResources()[0]
	if resource.GetWriteDisposition() != sluicev1.WriteDisposition_MERGE || pipeline.GetTimeout() != "90" ||
		resource.GetIncremental().GetInitialValue() != "2024-01-01" {
		t.Fatalf("read %v", pipeline)
	}
	if on := pipeline.GetAlerts()[0].GetOn(); !slices.Equal(on, []sluicev1.RunState{sluicev1.RunState_FAILED, sluicev1.RunState_CRASHED}) {
		t.Fatalf("alert on %v, want FAILED and CRASHED", on)
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

func TestParsePipelineRefusesAnEmptyFile(t *testing.T) {
	_, err := ParsePipeline([]byte("# nothing here\n"), "empty.yaml")
	var refused *Error
	if !errors.As(err, &refused) || len(refused.FieldViolations) != 1 || refused.FieldViolations[0].Description != "the file is empty" {
		t.Fatalf("got %v, want the file is empty", err)
	}
}

func TestParsePipelineRefusesAKeyGivenTwice(t *testing.T) {
	_, err := ParsePipeline([]byte("name: a\nname: b\n"), "twice.yaml")
	var refused *Error
	want := `malformed YAML/JSON: duplicate key "name" (line 2, column 1)`
	if !errors.As(err, &refused) || len(refused.FieldViolations) != 1 || refused.FieldViolations[0].Description != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}
