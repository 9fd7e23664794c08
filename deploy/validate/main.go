// Command validate renders kustomizations and checks every object they produce against the Kubernetes API types,
// offline: `make validate-deploy` runs it on deploy/kubernetes. It exits 1 naming each object and field at fault.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	pipelines := flag.String("pipelines", "", "a directory of pipeline files that the ConfigMap sluice-pipelines must hold, one key each")
	render := flag.Bool("render", false, "print the rendered objects as YAML instead of checking them (kubectl kustomize without kubectl)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: validate [-pipelines DIR | -render] KUSTOMIZATION_DIR...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *render {
		for _, dir := range flag.Args() {
			rendered, err := Render(dir)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", dir, err)
				os.Exit(1)
			}
			yaml, err := rendered.AsYaml()
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", dir, err)
				os.Exit(1)
			}
			os.Stdout.Write(yaml)
		}
		return
	}
	failed := false
	for _, dir := range flag.Args() {
		objects, problems := Validate(dir, *pipelines)
		for _, problem := range problems {
			fmt.Fprintf(os.Stderr, "%s: %s\n", dir, problem)
		}
		if len(problems) > 0 {
			failed = true
			continue
		}
		fmt.Printf("%s: %d objects valid\n", dir, objects)
	}
	if failed {
		os.Exit(1)
	}
}
