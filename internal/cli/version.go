package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// VersionInfo is what the version command reports.
type VersionInfo struct {
	Framework string            `json:"framework"`
	Go        string            `json:"go"`
	Platform  string            `json:"platform"`
	Main      string            `json:"main,omitempty"`     // the main package's import path
	Module    string            `json:"module,omitempty"`   // the main module and its version
	Settings  map[string]string `json:"settings,omitempty"` // build settings: vcs.revision, -tags, GOARCH...
	Deps      []string          `json:"deps,omitempty"`     // path@version of every module linked in
}

// ReadVersion gathers the framework version and the running binary's build
// information (runtime/debug.ReadBuildInfo).
func ReadVersion(framework string) VersionInfo {
	v := VersionInfo{Framework: framework, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.Main = bi.Path
	v.Module = bi.Main.Path + "@" + bi.Main.Version
	v.Settings = map[string]string{}
	for _, s := range bi.Settings {
		v.Settings[s.Key] = s.Value
	}
	for _, d := range bi.Deps {
		p := d
		if d.Replace != nil {
			p = d.Replace
		}
		v.Deps = append(v.Deps, p.Path+"@"+p.Version)
	}
	return v
}

// Print writes the version for people; verbose adds every dependency.
func (v VersionInfo) Print(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "Sparta %s (%s, %s)\n", v.Framework, v.Go, v.Platform)
	if v.Main != "" {
		fmt.Fprintf(w, "main:     %s\n", v.Main)
		fmt.Fprintf(w, "module:   %s\n", v.Module)
	}
	if rev := v.Settings["vcs.revision"]; rev != "" {
		state := ""
		if v.Settings["vcs.modified"] == "true" {
			state = " (modified)"
		}
		fmt.Fprintf(w, "revision: %s %s%s\n", rev, v.Settings["vcs.time"], state)
	}
	var build []string
	for _, k := range []string{"-tags", "CGO_ENABLED", "GOARCH", "GOOS", "-trimpath"} {
		if val, ok := v.Settings[k]; ok {
			build = append(build, k+"="+val)
		}
	}
	if len(build) > 0 {
		fmt.Fprintf(w, "build:    %s\n", strings.Join(build, " "))
	}
	if verbose {
		fmt.Fprintf(w, "modules:  %d\n", len(v.Deps))
		for _, d := range v.Deps {
			fmt.Fprintf(w, "  %s\n", d)
		}
	} else if len(v.Deps) > 0 {
		fmt.Fprintf(w, "modules:  %d (--verbose lists them)\n", len(v.Deps))
	}
}
