package reports

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/koiisim/koiisim/metrics"
)

// Table writes the human summary: one line per class and a total, then
// the run's figures. Money is in KOII with 4 decimals; rates in percent.
func Table(w io.Writer, f *metrics.Figures) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%-16s %6s %12s %11s %11s %11s %11s %8s %8s %8s %8s %7s %7s\n",
		"class", "nodes", "stake KOII", "rewards", "slashed", "fees+costs", "net KOII", "RoS %", "valid", "invalid", "missing", "f.slash", "missed")
	row := func(name string, m map[string]metrics.Value) {
		cost := m["fees"].Money + m["work_cost"].Money + m["audit_cost"].Money + m["forfeited"].Money
		fmt.Fprintf(&b, "%-16s %6.0f %12.4f %11.4f %11.4f %11.4f %11.4f %8s %8.0f %8.0f %8.0f %7.0f %7.0f\n",
			trunc(name, 16), m["nodes"].Number, m["initial_stake"].Float(), m["rewards"].Float(), m["slashed"].Float(),
			cost.KOII(), m["net_profit"].Float(), pct(m["return_on_stake"]),
			m["valid"].Number, m["invalid"].Number, m["missing"].Number, m["false_slashes"].Number, m["missed_detections"].Number)
	}
	for i, c := range f.Classes {
		row(c, f.Class[i])
	}
	row("total", f.Total)
	attackTable(&b, f)
	r := f.Run
	fmt.Fprintf(&b, "\ncycles: %.0f started, %.0f paid, %.0f unpaid, %.0f wrong lists; bounty paid %s KOII, left %s KOII; %.0f events, %.1f simulated days\n",
		r["cycles_started"].Number, r["cycles_paid"].Number, r["cycles_unpaid"].Number, r["wrong_lists"].Number,
		r["bounty_paid"].Money, r["bounty_left"].Money, r["events"].Number, r["simulated_days"].Number)
	_, err := w.Write(b.Bytes())
	return err
}

func pct(v metrics.Value) string {
	if v.Missing {
		return "-"
	}
	return strconv.FormatFloat(100*v.Number, 'f', 2, 64)
}

func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "~"
}

// attackTable writes, when some class is not honest (model.Kind.Honest,
// whatever its name), the figures that
// say how an attack went: each class's share of the bounty and of the
// votes it cast, when it was first slashed, what it got back on leaving
// and what the honest classes lost to the attackers.
func attackTable(b *bytes.Buffer, f *metrics.Figures) {
	if !slices.Contains(f.Honest, false) {
		return
	}
	fmt.Fprintf(b, "\n%-16s %8s %8s %11s %11s %12s %11s %12s\n",
		"class", "bounty%", "votes%", "1st slash", "withdrawn", "recovered %", "lists lost", "lost KOII")
	for i, c := range f.Classes {
		m := f.Class[i]
		fmt.Fprintf(b, "%-16s %8s %8s %11s %11s %12s %11.0f %12s\n", trunc(c, 16),
			pct(m["bounty_share"]), pct(m["vote_share"]), rounds(m["rounds_to_first_slash"]),
			m["withdrawn"].Money.String(), pct(m["stake_recovered"]), m["correct_lists_rejected"].Number, koii(m["rewards_lost_to_attackers"]))
	}
	fmt.Fprintln(b, "(1st slash: rounds from joining to the first slash that took something; lists lost: the class's correct lists rejected by votes; lost: rewards lost to attackers)")
}

func rounds(v metrics.Value) string {
	if v.Missing {
		return "never"
	}
	return strconv.FormatFloat(v.Number, 'f', 0, 64)
}

func koii(v metrics.Value) string {
	if v.Missing {
		return "-"
	}
	return strconv.FormatFloat(v.Float(), 'f', 4, 64)
}
