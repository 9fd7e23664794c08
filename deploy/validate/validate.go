package main

import (
	"fmt"
	"sort"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Validate renders the kustomization in dir as `kubectl kustomize` would (files outside its root refused) and checks
// every object: strictly decoded into its API type, then the checks of checks.go across the rendered objects.
// pipelines, when not empty, is a directory whose pipeline files the ConfigMap sluice-pipelines must all hold.
// It returns how many objects were rendered and every problem found, each naming its object.
func Validate(dir string, pipelines string) (int, []string) {
	rendered, err := Render(dir)
	if err != nil {
		return 0, []string{fmt.Sprintf("kustomize cannot render it: %v", err)}
	}
	var objects []Object
	var problems []string
	for _, resource := range rendered.Resources() {
		json, err := resource.MarshalJSON()
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %s: cannot be written as JSON: %v", resource.GetKind(), resource.GetName(), err))
			continue
		}
		object, err := Decode(json)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %s: %v", resource.GetKind(), resource.GetName(), err))
			continue
		}
		objects = append(objects, object)
	}
	problems = append(problems, Check(objects)...)
	if pipelines != "" {
		problems = append(problems, CheckPipelines(objects, pipelines)...)
	}
	sort.Strings(problems)
	return len(rendered.Resources()), problems
}

// Render builds the kustomization in dir with kustomize's defaults, as `kubectl kustomize dir` does.
func Render(dir string) (resmap.ResMap, error) {
	return krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
}
