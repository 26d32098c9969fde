package scenarios

import (
	"embed"
	"path"
	"sort"
	"strings"

	"github.com/koiisim/koiisim/model"
)

// builtins are the scenario files shipped in the binary, one per name:
// builtin/NAME.yaml.
//
//go:embed builtin/*.yaml
var builtins embed.FS

// Info names a built-in scenario.
type Info struct {
	Name        string
	Description string
}

// BuiltinPrefix starts the Source of a built-in scenario: "builtin:NAME".
const BuiltinPrefix = "builtin:"

// Builtins lists the built-in scenarios, sorted by name. A built-in that
// does not load (a bug the tests catch) says so in its description.
func Builtins() []Info {
	var out []Info
	for _, name := range builtinNames() {
		info := Info{Name: name}
		if s, _, err := Builtin(name, nil); err != nil {
			info.Description = "(does not load: " + strings.SplitN(err.Error(), "\n", 2)[0] + ")"
		} else {
			info.Description = s.Description
		}
		out = append(out, info)
	}
	return out
}

// Builtin parses the built-in scenario name with the --set overrides
// sets; see Parse. Its Source is "builtin:NAME".
func Builtin(name string, sets []string) (*Scenario, model.Problems, error) {
	data, err := builtins.ReadFile("builtin/" + name + ".yaml")
	if err != nil || !scenarioName.MatchString(name) {
		names := builtinNames()
		return nil, nil, inputError(name, "is neither a scenario file nor a built-in scenario%s; the built-ins are %s",
			suggest(name, names), oneOf(names))
	}
	return Parse(data, BuiltinPrefix+name, sets)
}

func builtinNames() []string {
	entries, _ := builtins.ReadDir("builtin")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// BuiltinSource returns the YAML text of a built-in scenario, comments
// and all, for users to copy; ok is false if there is none by that name.
func BuiltinSource(name string) (data []byte, ok bool) {
	if !scenarioName.MatchString(name) {
		return nil, false
	}
	data, err := builtins.ReadFile(path.Join("builtin", name+".yaml"))
	return data, err == nil
}
