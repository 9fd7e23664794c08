package main

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
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

// The prod overlay runs the prod profile with authentication on, and mounts the certificate files its TLS settings
// name and the config directory the server reads credentials from, each from a Secret.
func TestProdOverlayAuthenticatesCallersOverTls(t *testing.T) {
	rendered, err := Render("../kubernetes/overlays/prod")
	if err != nil {
		t.Fatal(err)
	}
	var deployment *appsv1.Deployment
	for _, resource := range rendered.Resources() {
		if resource.GetKind() != "Deployment" || resource.GetName() != "sluice" {
			continue
		}
		document, err := resource.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		object, err := Decode(document)
		if err != nil {
			t.Fatal(err)
		}
		deployment = object.Value.(*appsv1.Deployment)
	}
	if deployment == nil {
		t.Fatal("the prod overlay renders no Deployment sluice")
	}
	pod := deployment.Spec.Template.Spec
	container := pod.Containers[0]
	env := map[string]string{}
	for _, variable := range container.Env {
		env[variable.Name] = variable.Value
	}
	for name, want := range map[string]string{"QUARKUS_PROFILE": "prod", "SLUICE_AUTH_ENABLED": "true"} {
		if env[name] != want {
			t.Errorf("env %s = %q, want %q", name, env[name], want)
		}
	}
	secrets := map[string]string{}
	for _, volume := range pod.Volumes {
		if volume.Secret != nil {
			secrets[volume.Name] = volume.Secret.SecretName
		}
	}
	mountedSecret := func(file string) string {
		for _, mount := range container.VolumeMounts {
			if strings.HasPrefix(file, mount.MountPath+"/") {
				return secrets[mount.Name]
			}
		}
		return ""
	}
	for _, name := range []string{"QUARKUS_GRPC_SERVER_SSL_CERTIFICATE", "QUARKUS_GRPC_SERVER_SSL_KEY"} {
		if mountedSecret(env[name]) != "sluice-tls" {
			t.Errorf("env %s = %q is not a file of the mounted Secret sluice-tls", name, env[name])
		}
	}
	if mountedSecret("/work/config/application.properties") != "sluice-auth" {
		t.Errorf("the Secret sluice-auth is not mounted as the server's config directory /work/config")
	}
}
