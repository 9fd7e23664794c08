package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// The ConfigMap that carries the pipeline files into the pods.
const pipelinesConfigMap = "sluice-pipelines"

// CheckPipelines fails for every pipeline file in dir (the .yaml, .yml and .json files `sluice serve -f` reads)
// that the rendered ConfigMap sluice-pipelines lacks, so a new pipeline is not silently left out of the cluster.
func CheckPipelines(objects []Object, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return []string{fmt.Sprintf("cannot list the pipeline files: %v", err)}
	}
	var problems []string
	for _, object := range objects {
		configMap, ok := object.Value.(*corev1.ConfigMap)
		if !ok || !strings.HasPrefix(object.Name, pipelinesConfigMap) {
			continue
		}
		for _, entry := range entries {
			name := entry.Name()
			switch strings.ToLower(filepath.Ext(name)) {
			case ".yaml", ".yml", ".json":
				if _, held := configMap.Data[name]; !held {
					problems = append(problems, fmt.Sprintf("%s: lacks the pipeline file %s (list it in %s)",
						object, name, filepath.Join(dir, "Kustomization")))
				}
			}
		}
	}
	return problems
}
