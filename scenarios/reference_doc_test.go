package scenarios

import (
	"flag"
	"os"
	"testing"
)

var updateDoc = flag.Bool("update", false, "rewrite ../docs/scenario-reference.md from Reference()")

// TestReferenceDocIsCurrent keeps docs/scenario-reference.md, which the
// README links to, equal to what Reference() generates from the key
// tables and the registered behaviours; -update rewrites it.
func TestReferenceDocIsCurrent(t *testing.T) {
	const path = "../docs/scenario-reference.md"
	got := Reference()
	if *updateDoc {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Fatalf("%s is not what Reference() generates; run 'go test ./scenarios -run TestReferenceDocIsCurrent -update'", path)
	}
}
