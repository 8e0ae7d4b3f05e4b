package scenarios

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// The whole folder is embedded, so that the package compiles before any
// scenario is written; Names lists only its *.toml files.
//
//go:embed builtin
var builtinFS embed.FS

// Default is the built-in scenario run when none is named: the policy as
// it stands, which is also the one the model is checked against.
const Default = "current-policy"

// Builtin returns the built-in scenario library: a folder holding one
// NAME.toml per scenario.
func Builtin() fs.FS {
	sub, err := fs.Sub(builtinFS, "builtin")
	if err != nil {
		panic("scenarios: " + err.Error()) // the embed pattern guarantees the folder
	}
	return sub
}

// Names returns the ids of the built-in scenarios, sorted.
func Names() []string { return names(Builtin()) }

// names lists the scenario files at the top of fsys.
func names(fsys fs.FS) []string {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil
	}
	var ns []string
	for _, e := range entries {
		if !e.IsDir() && path.Ext(e.Name()) == ".toml" {
			ns = append(ns, strings.TrimSuffix(e.Name(), ".toml"))
		}
	}
	sort.Strings(ns)
	return ns
}
