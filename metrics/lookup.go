package metrics

// Lookup returns the figure of f at a metric path (see Flatten), and
// whether f has it.
func Lookup(f *Figures, path string) (Value, bool) {
	for _, p := range Flatten(f) {
		if p.Path == path {
			return p.Value, true
		}
	}
	return Value{}, false
}
