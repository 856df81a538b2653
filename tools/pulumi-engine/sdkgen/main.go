// Command sdkgen writes the Node.js SDK of a provider schema: sdkgen <schema.json> <out dir>.
//
// `pulumi package gen-sdk` asks the language host to generate, and the Node.js host that builds
// from the Go module proxy (sdk/v3 v3.68.0) predates that call, so the generator of the CLI's
// own pkg/v3 is called here directly.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) != 3 {
		fail(fmt.Errorf("usage: sdkgen <schema.json> <out dir>"))
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		fail(fmt.Errorf("%s: %w", os.Args[1], err))
	}
	languages := map[string]schema.Language{"nodejs": nodejs.Importer}
	pkg, err := schema.ImportSpec(spec, languages, schema.NewNullLoader(), schema.ValidationOptions{})
	if err != nil {
		fail(err)
	}
	files, err := nodejs.GeneratePackage("pulumi-powerjob", pkg, nil, nil, false, nil)
	if err != nil {
		fail(err)
	}
	for name, content := range files {
		path := filepath.Join(os.Args[2], name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fail(err)
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sdkgen:", err)
	os.Exit(1)
}
