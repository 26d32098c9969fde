package scenarios

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const sweepFile = minimal + `sweep:
  design: lhs
  points: 20
  replicates: 3
  metrics: [faulty.net_profit, 'honest.*']
  vary:
    - {path: rules.slash_fraction, from: 0.1, to: 0.9}
    - {path: populations.honest.count, from: 10, to: 50, steps: 5}
    - path: rules.reward_split
      values: [equal, stake]
    - path: populations.honest.stake
      values: [5, "6", {dist: uniform, min: 2, max: 9}]
`

// The sweep section decodes to the Sweep it says, round-trips through
// Marshal, and leaves the scenario's Hash alone.
func TestSweepSectionDecodesAndRoundTrips(t *testing.T) {
	s, _, err := Parse([]byte(sweepFile), "t.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Sweep{Design: DesignLHS, Points: 20, Replicates: 3, Metrics: []string{"faulty.net_profit", "honest.*"},
		Vary: []Dimension{
			{Path: "rules.slash_fraction", From: "0.1", To: "0.9"},
			{Path: "populations.honest.count", From: "10", To: "50", Steps: 5},
			{Path: "rules.reward_split", Values: []string{"equal", "stake"}},
			{Path: "populations.honest.stake", Values: []string{"5", `"6"`, "{dist: uniform, min: 2, max: 9}"}},
		}}
	if !reflect.DeepEqual(s.Sweep, want) {
		t.Fatalf("decoded %+v\nwant    %+v", s.Sweep, want)
	}
	roundTrip(t, s)
	plain, _, err := Parse([]byte(minimal), "t.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Sweep != nil || strings.Contains(string(Marshal(plain)), "sweep") {
		t.Error("a scenario without sweep: must marshal without one")
	}
	if Hash(s) != Hash(plain) {
		t.Error("Hash must not depend on the sweep section")
	}
}

// Each value of a sweep is a --set value: applying it gives what the
// same value written in the file gives.
func TestSweepValuesApplyAsSets(t *testing.T) {
	s, _, err := Parse([]byte(sweepFile), "t.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Sweep.Vary[3].Values {
		if _, _, err := Parse([]byte(minimal), "t.yaml", []string{"populations.honest.stake=" + v}); err != nil && v != `"6"` {
			t.Errorf("value %s does not apply: %v", v, err)
		}
	}
	// "6" is text, which a stake refuses: the quotes survive.
	if _, _, err := Parse([]byte(minimal), "t.yaml", []string{`populations.honest.stake="6"`}); err == nil {
		t.Error(`a quoted "6" must stay text`)
	}
}

// Bad sweeps: each problem names its field and says what to do.
func TestSweepProblems(t *testing.T) {
	for _, tt := range []struct{ name, sweep, key, msg string }{
		{"points on a grid", "{points: 5, vary: [{path: rules.slash_fraction, values: [0.1]}]}", "sweep.points", "product of its dimensions"},
		{"random needs points", "{design: random, vary: [{path: rules.slash_fraction, from: 0, to: 1}]}", "sweep.points", "needs points"},
		{"zero replicates", "{replicates: 0}", "sweep.replicates", "must be in [1,"},
		{"unknown design", "{design: halton}", "sweep.design", `unknown value "halton"`},
		{"no path", "{vary: [{values: [1]}]}", "sweep.vary[0].path", "is required"},
		{"bad path", "{vary: [{path: 'rules..x', values: [1]}]}", "sweep.vary[0].path", "keys joined by dots"},
		{"sweeping the sweep", "{vary: [{path: sweep.replicates, values: [1, 2]}]}", "sweep.vary[0].path", "cannot vary itself"},
		{"overlap", "{vary: [{path: populations.honest.stake, values: [1]}, {path: populations.honest.stake.value, values: [2]}]}", "sweep.vary[1].path", "overlaps"},
		{"both forms", "{vary: [{path: rules.slash_fraction, values: [0.1], from: 0, to: 1}]}", "sweep.vary[0]", "not both"},
		{"neither form", "{vary: [{path: rules.slash_fraction}]}", "sweep.vary[0]", "needs values"},
		{"repeated value", "{vary: [{path: rules.slash_fraction, values: [0.1, 0.2, 0.1]}]}", "sweep.vary[0].values[2]", "repeats value 0"},
		{"empty values", "{vary: [{path: rules.slash_fraction, values: []}]}", "sweep.vary[0].values", "at least one value"},
		{"exponent", "{design: lhs, points: 3, vary: [{path: rules.slash_fraction, from: 0, to: 1e0}]}", "sweep.vary[0].to", "decimal number"},
		{"too fine", "{design: lhs, points: 3, vary: [{path: rules.slash_fraction, from: 0, to: 0.0000000001}]}", "sweep.vary[0].to", "at most 9 decimals"},
		{"empty range", "{vary: [{path: rules.slash_fraction, from: 0.5, to: 0.50, steps: 2}]}", "sweep.vary[0].to", "equals from"},
		{"one step", "{vary: [{path: rules.slash_fraction, from: 0, to: 1, steps: 1}]}", "sweep.vary[0].steps", "[2,"},
		{"too many whole steps", "{vary: [{path: rules.audit_sample, from: 1, to: 3, steps: 4}]}", "sweep.vary[0].steps", "do not fit"},
		{"bad metric", "{metrics: ['faulty.[x']}", "sweep.metrics[0]", "metric path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(minimal+"sweep: "+tt.sweep+"\n"), "t.yaml", nil)
			if err == nil {
				t.Fatalf("accepted sweep %s", tt.sweep)
			}
			for _, p := range problemsOf(t, err) {
				if p.Key == tt.key && strings.Contains(p.Msg, tt.msg) {
					if p.Line == 0 {
						t.Errorf("%s is not located: %v", p.Key, p)
					}
					return
				}
			}
			t.Errorf("no problem %s containing %q; got:\n%v", tt.key, tt.msg, err)
		})
	}
}

// A grid's size is the product of its dimensions'; a grid too large is
// refused before anything runs.
func TestGridPoints(t *testing.T) {
	sw := Sweep{Replicates: 1, Vary: []Dimension{
		{Path: "a", Values: []string{"1", "2", "3"}},
		{Path: "b", From: "0", To: "1", Steps: 4},
	}}
	if n := sw.GridPoints(); n != 12 {
		t.Errorf("3 × 4 grid has %d points", n)
	}
	if (&Sweep{Replicates: 1}).GridPoints() != 1 {
		t.Error("a grid without dimensions is one point")
	}
	for range 3 {
		sw.Vary = append(sw.Vary, Dimension{Path: "c" + string(rune('a'+len(sw.Vary))), From: "0", To: "1", Steps: MaxValues})
	}
	if sw.GridPoints() != -1 || len(sw.Validate()) == 0 {
		t.Error("a grid past MaxPoints must be refused")
	}
}

// --sweep flags: the three forms, and errors that show the form.
func TestParseDimension(t *testing.T) {
	for _, tt := range []struct {
		spec string
		want Dimension
	}{
		{"rules.slash_fraction=0.1,0.5, 0.9", Dimension{Path: "rules.slash_fraction", Values: []string{"0.1", "0.5", "0.9"}}},
		{"rules.reward_split=equal,stake", Dimension{Path: "rules.reward_split", Values: []string{"equal", "stake"}}},
		{"rules.slash_fraction=0.1:0.9:5", Dimension{Path: "rules.slash_fraction", From: "0.1", To: "0.9", Steps: 5}},
		{"populations.a.count = 10:20", Dimension{Path: "populations.a.count", From: "10", To: "20"}},
		{"populations.a.stake=[5, {dist: uniform, min: 2, max: 9}]", Dimension{Path: "populations.a.stake", Values: []string{"5", "{dist: uniform, min: 2, max: 9}"}}},
		{"rules.audit_sample=all,5", Dimension{Path: "rules.audit_sample", Values: []string{"all", "5"}}},
	} {
		got, err := ParseDimension(tt.spec)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseDimension(%q) = %+v, %v; want %+v", tt.spec, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ spec, msg string }{
		{"rules.slash_fraction", "PATH=V1,V2"},
		{"=0.1", "PATH=V1,V2"},
		{"rules.slash_fraction=0.1,,0.2", "empty value"},
		{"rules.slash_fraction=[0.1", "not a YAML list"},
		{"rules.slash_fraction=[]", "not a YAML list"},
		{"rules.slash_fraction={a: [}", "not YAML"},
	} {
		if _, err := ParseDimension(tt.spec); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseDimension(%q): error %v, want one containing %q", tt.spec, err, tt.msg)
		}
	}
}

// The fuzz seed with a sweep loads and round-trips.
func TestSweepSeedRoundTrips(t *testing.T) {
	s, _, err := Load(filepath.Join("testdata", "fuzz-seeds", "sweep.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Sweep == nil || len(s.Sweep.Vary) == 0 {
		t.Fatal("sweep.yaml has no sweep")
	}
	roundTrip(t, s)
}

// FuzzParseDimension: no --sweep flag makes the parser panic, and every
// value it accepts applies as a --set value without a YAML error.
func FuzzParseDimension(f *testing.F) {
	for _, s := range []string{"rules.slash_fraction=0.1,0.5", "a.b=1:2:3", "a=[1, {x: [2]}]", "x=", "=", "a=1:", "a=[", "a=*x", "a=&x [1]", "a='1,2'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		d, err := ParseDimension(spec)
		if err != nil {
			return
		}
		for _, v := range d.Values {
			if _, err := parseValue(v); err != nil {
				t.Fatalf("ParseDimension(%q) gave the value %q, which is not YAML: %v", spec, v, err)
			}
		}
	})
}
