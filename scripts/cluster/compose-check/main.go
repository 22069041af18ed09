// compose-check loads a Compose file the way Docker Compose does (compose-go, the library
// Compose itself uses): it is validated against the Compose specification's schema, its
// interpolations resolved, and references between services, networks and volumes checked. It
// prints each service with its image or build and what it depends on, so the check's log shows
// what was read.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose file> [NAME=value ...]")
		os.Exit(2)
	}
	file, err := filepath.Abs(os.Args[1])
	if err != nil {
		fail(err)
	}
	// The variables a deployment supplies (secrets and the image tag), given on the command line
	// rather than taken from this shell, so that the check reads the file as a deployment would.
	environment := map[string]string{}
	for _, pair := range os.Args[2:] {
		name, value, found := strings.Cut(pair, "=")
		if !found {
			fail(fmt.Errorf("%q is not NAME=value", pair))
		}
		environment[name] = value
	}
	options, err := cli.NewProjectOptions(
		[]string{file},
		cli.WithWorkingDirectory(filepath.Dir(file)),
		cli.WithEnv(mapToList(environment)),
		cli.WithName("jalur"),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	names := project.ServiceNames()
	sort.Strings(names)
	for _, name := range names {
		service := project.Services[name]
		source := service.Image
		if service.Build != nil {
			source = "build " + service.Build.Context
			if service.Build.Dockerfile != "" {
				source += " (" + service.Build.Dockerfile + ")"
			}
		}
		dependencies := make([]string, 0, len(service.DependsOn))
		for dependency, condition := range service.DependsOn {
			dependencies = append(dependencies, dependency+":"+condition.Condition)
		}
		sort.Strings(dependencies)
		fmt.Printf("%-22s %s", name, source)
		if len(dependencies) > 0 {
			fmt.Printf("  after %s", strings.Join(dependencies, ", "))
		}
		fmt.Println()
	}
	fmt.Printf("%d services, %d volumes, %d networks: valid\n", len(project.Services), len(project.Volumes), len(project.Networks))
}

func mapToList(values map[string]string) []string {
	list := make([]string, 0, len(values))
	for name, value := range values {
		list = append(list, name+"="+value)
	}
	return list
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-check:", err)
	os.Exit(1)
}
