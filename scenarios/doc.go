// Package scenarios reads scenario files: YAML in, a validated
// model.Config out. It is the only package that imports the YAML
// library, and the edge where bad input stops: after Parse returns
// without error, the engine may assume the configuration is valid.
//
// A scenario names a task (its K2 parameters), the rule options where
// Koii's sources differ, the costs, and the node populations, plus the
// seed and the number of rounds of a run:
//
//	name: my-task
//	description: One line saying what the scenario asks.
//	rounds: 500
//	task: {round_time: 1500, submission_window: 600, audit_window: 600}
//	populations:
//	  - name: honest
//	    count: 100
//	    stake: {dist: uniform, min: 2, max: 20}
//	  - name: buggy
//	    count: 10
//	    stake: 5
//	    behaviour: {kind: faulty, invalid: 0.2}
//
// Reference returns the full format, every key with its type, default
// and range and every behaviour kind model registers; the README and
// `koiisim scenarios --reference` print it.
//
// # Entry points
//
// Load reads a file, Parse a byte slice, Builtin one of the scenarios
// embedded under builtin/ (Builtins lists them), and Resolve picks a file
// or a built-in from a command-line argument. Each takes --set overrides,
// "key.path=value" strings applied to the YAML tree before decoding, so
// the one decoder checks file and overrides alike.
//
// Marshal writes a scenario back with every default filled in and a
// fixed key order; Hash is the SHA-256 of those bytes, a scenario's
// identity in outputs. Parse(Marshal(s)) equals s but for Source.
//
// # Errors
//
// Decoding is strict: unknown keys (with a "did you mean" suggestion),
// wrong types, repeated keys, NaN and infinities and amounts finer than
// one ROE are all problems. The decoder records the line of every field
// it meets, so the problems model.Config.Validate finds later by path
// ("populations[1].count") are located too. Every problem comes back at
// once in an *Error, one per line as FILE:LINE:COL: KEY: MSG, or as
// --set PATH: KEY: MSG for a value an override brought in. Warnings
// (valid but unwise settings) come back separately as model.Problems;
// Locate finds their lines.
//
// # How it works
//
// A table of keys per mapping (keys.go, population.go, scenario.go)
// says how to read each key, write it back and describe it; decoding,
// Marshal and Reference all walk the same tables. Amounts and fractions
// are parsed from the scalar's text by model.ParseKOII and
// model.ParseFraction, never through a float.
package scenarios
