package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad checks the decoder's two promises on any input: Parse never
// panics, and whatever it accepts round-trips through Marshal and Parse
// to an equal scenario with stable bytes. The second argument is a list
// of --set overrides separated by newlines, so overrides are fuzzed too.
//
//	go test ./scenarios -run XXX -fuzz FuzzLoad -fuzztime 60s
func FuzzLoad(f *testing.F) {
	for _, info := range Builtins() {
		data, _ := BuiltinSource(info.Name)
		f.Add(data, "")
		f.Add(data, "populations.0.count=3\nrules.audit_sample=all")
	}
	seeds, _ := filepath.Glob(filepath.Join("testdata", "fuzz-seeds", "*.yaml"))
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "")
	}
	f.Add([]byte(minimal), "populations.honest.stake={dist: uniform, min: 2, max: 5}")
	f.Add([]byte(minimal), "populations.honest.behaviour.invalid=0.5\npopulations.honest.behaviour.kind=faulty")
	f.Add([]byte(minimal), "task=\npopulations.honest=")
	f.Add([]byte(""), "name=x\ndescription=y\npopulations=[{name: a, count: 1, stake: 1}]")
	f.Fuzz(func(t *testing.T, data []byte, sets string) {
		var overrides []string
		if sets != "" {
			overrides = strings.Split(sets, "\n")
		}
		s, _, err := Parse(data, "fuzz.yaml", overrides)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse returned a %T, want *Error: %v", err, err)
			}
			return
		}
		if problems, _ := s.Config.Validate(); len(problems) > 0 {
			t.Fatalf("Parse accepted an invalid config: %v", problems)
		}
		roundTrip(t, s)
	})
}
