package main

import (
	"strings"
	"testing"
)

// Every kustomization under deploy/kubernetes renders, and every object it renders passes.
func TestDeployManifestsAreValid(t *testing.T) {
	for _, dir := range []string{"../kubernetes/base", "../kubernetes/overlays/dev", "../kubernetes/overlays/prod", "../kubernetes/knative"} {
		objects, problems := Validate(dir, "../pipelines")
		if len(problems) > 0 {
			t.Errorf("%s:\n%s", dir, strings.Join(problems, "\n"))
		}
		if objects == 0 {
			t.Errorf("%s rendered no objects", dir)
		}
	}
}

// Broken manifests are refused, each problem naming the object and the field.
func TestBrokenManifestsAreRefused(t *testing.T) {
	cases := map[string][]string{
		"testdata/misspelled-field": {`Deployment broken: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy"`},
		"testdata/unmounted-volume": {
			`Job dangling: spec.template.spec.containers[0].livenessProbe.httpGet.port: Not found: "http"`,
			`Job dangling: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"`,
		},
		"testdata/knative-misspelled-field": {`Service broken: strict decoding error: unknown field "spec.template.spec.containerConcurrensy"`},
	}
	for dir, want := range cases {
		_, problems := Validate(dir, "")
		if strings.Join(problems, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: got problems\n%s\nwant\n%s", dir, strings.Join(problems, "\n"), strings.Join(want, "\n"))
		}
	}
}

// A pipeline file missing from the ConfigMap is named, with the file that should list it.
func TestUnlistedPipelineIsNamed(t *testing.T) {
	_, problems := Validate("../kubernetes/base", "testdata/unlisted-pipeline")
	want := "ConfigMap sluice-pipelines-"
	if len(problems) != 1 || !strings.HasPrefix(problems[0], want) ||
		!strings.HasSuffix(problems[0], ": lacks the pipeline file another.yaml (list it in testdata/unlisted-pipeline/Kustomization)") {
		t.Errorf("got %q", problems)
	}
}
