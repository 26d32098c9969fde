package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/koiisim/koiisim/metrics"
)

// journalFile is where optimize keeps every candidate as it finishes, so
// that a search stopped part way (a signal, a kill, a failed candidate)
// loses no finished run and the same command resumes it.
const journalFile = "journal.jsonl"

// journalHead is the journal's first line: what makes two searches the
// same one. Nelder-Mead is deterministic, so the same search replayed
// over the journal's candidates asks for the same points in the same
// order and gets the same values back, and continues where it stopped;
// --max-evals and --workers are not part of it (a resumed search may
// have a larger budget, and workers change nothing).
type journalHead struct {
	Search   string       `json:"search"`
	Scenario string       `json:"scenario_sha256"` // the base scenario, with --set, --rounds and --seed applied
	Metric   string       `json:"metric"`
	Goal     string       `json:"goal"` // maximize or minimize
	Dims     []journalDim `json:"dims"`
	Seeds    []uint64     `json:"seeds"` // the replicates' seeds, so also their count
}

type journalDim struct {
	Path    string  `json:"path"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	Integer bool    `json:"integer"`
}

// journalEntry is one evaluated candidate: its values as applied and the
// metric of each replicate, exactly (JSON numbers round-trip a float64),
// null where the metric is undefined in that replicate.
type journalEntry struct {
	Values []string   `json:"values"`
	Runs   []*float64 `json:"runs"`
}

// head returns the journal head of the search.
func (s *searcher) head(scenarioHash string) journalHead {
	h := journalHead{Search: "koiisim optimize", Scenario: scenarioHash, Metric: s.metric, Goal: "maximize", Seeds: s.seeds}
	if s.sign > 0 {
		h.Goal = "minimize"
	}
	for _, d := range s.dims {
		h.Dims = append(h.Dims, journalDim{Path: d.path, Lo: d.lo, Hi: d.hi, Integer: d.integer})
	}
	return h
}

// openJournal opens dir's journal for search head, creating it if there
// is none, and loads the candidates it holds into s (its cache and
// order, in the order they were evaluated). A last line cut short by a
// kill is dropped (that candidate runs again). A journal of another
// search, or a file that is not one, is refused with an error wrapping
// errBadJournal that says what differs.
func openJournal(dir string, head journalHead, s *searcher) (*journal, error) {
	path := filepath.Join(dir, journalFile)
	first, _ := json.Marshal(head)
	return openJournalFile(path, first, func(b []byte) error {
		var got journalHead
		if err := json.Unmarshal(b, &got); err != nil || got.Search != head.Search {
			return fmt.Errorf("%w: %s:1 is not a koiisim optimize journal; remove it or use another --out", errBadJournal, path)
		}
		if diff := headDiff(got, head); diff != "" {
			return fmt.Errorf("%w: %s was written by another search (%s); use another --out, or remove the journal to start this search over", errBadJournal, path, diff)
		}
		return nil
	}, func(n int, b []byte) error {
		var ent journalEntry
		if err := json.Unmarshal(b, &ent); err != nil || len(ent.Values) != len(s.dims) || len(ent.Runs) != len(s.seeds) {
			return fmt.Errorf("%w: %s:%d is not a candidate of this search (%d values and %d replicates expected); remove the journal to start over", errBadJournal, path, n, len(s.dims), len(s.seeds))
		}
		if _, dup := s.cache[candidateKey(ent.Values)]; dup {
			return fmt.Errorf("%w: %s:%d repeats an earlier candidate; remove the journal to start over", errBadJournal, path, n)
		}
		s.recall(ent)
		return nil
	})
}

// headDiff says in which settings the journal's search a differs from
// this one, b, as a's values ("its --replicates was 2"), or "".
func headDiff(a, b journalHead) string {
	var diff []string
	if a.Scenario != b.Scenario {
		diff = append(diff, "its scenario's sha256 was "+short(a.Scenario)+", not "+short(b.Scenario)+" (the scenario file, --set, --rounds or --seed)")
	}
	if a.Metric != b.Metric || a.Goal != b.Goal {
		diff = append(diff, "its objective was --"+a.Goal+" "+a.Metric)
	}
	da, _ := json.Marshal(a.Dims)
	db, _ := json.Marshal(b.Dims)
	if !bytes.Equal(da, db) {
		var vary []string
		for _, d := range a.Dims {
			vary = append(vary, fmt.Sprintf("--vary %s=%g:%g", d.Path, d.Lo, d.Hi))
		}
		diff = append(diff, "its dimensions were "+strings.Join(vary, " "))
	}
	if len(a.Seeds) != len(b.Seeds) {
		diff = append(diff, fmt.Sprintf("its --replicates was %d", len(a.Seeds)))
	} else if !slices.Equal(a.Seeds, b.Seeds) {
		diff = append(diff, "its replicates' seeds differ")
	}
	return strings.Join(diff, "; ")
}

func short(h string) string { return h[:min(12, len(h))] }

// add appends candidate c to the journal.
func (j *journal) add(c *candidate) error {
	ent := journalEntry{Values: c.values, Runs: make([]*float64, len(c.runs))}
	for i := range c.runs {
		if !math.IsNaN(c.runs[i]) {
			ent.Runs[i] = &c.runs[i]
		}
	}
	line, err := json.Marshal(ent)
	if err != nil {
		return err
	}
	return j.write(line)
}

// recall puts a candidate read back from the journal in the cache and
// the order, as evaluate would have.
func (s *searcher) recall(ent journalEntry) {
	c := &candidate{values: ent.Values, runs: make([]float64, len(ent.Runs))}
	for i, v := range ent.Runs {
		c.runs[i] = math.NaN()
		if v != nil {
			c.runs[i] = *v
		}
	}
	c.stats = metrics.Summarize(c.runs)
	s.cache[candidateKey(c.values)] = c
	s.order = append(s.order, c)
}
