package model

// rangedBehaviour runs a behaviour in rounds [from, until) and the
// honest node's rules outside them (issue: every behaviour is active over
// a round range). A round-less decision takes the round it falls in: a
// cycle's work its work round, an audit or a list the round it is made in.
type rangedBehaviour struct {
	inner       Behaviour
	from, until int
}

func ranged(b Behaviour, from, until int) Behaviour {
	return &rangedBehaviour{inner: b, from: from, until: until}
}

func (b *rangedBehaviour) on(round int) bool {
	return round >= b.from && (b.until == 0 || round < b.until)
}

func (b *rangedBehaviour) Online(n *Node, round int, r Rand) bool {
	if b.on(round) {
		return b.inner.Online(n, round, r)
	}
	return true
}

func (b *rangedBehaviour) Work(n *Node, cycle int, r Rand) Work {
	if b.on(cycle) {
		return b.inner.Work(n, cycle, r)
	}
	return Honest{}.Work(n, cycle, r)
}

func (b *rangedBehaviour) Audit(a Audit) {
	if b.on(a.Round()) {
		b.inner.Audit(a)
		return
	}
	AuditHonestly(a)
}

func (b *rangedBehaviour) Answer(a Audit, t Target) {
	if b.on(a.Round()) {
		b.inner.Answer(a, t)
		return
	}
	ReviewHonestly(a, t)
}

func (b *rangedBehaviour) BuildList(bd Builder) *List {
	if b.on(bd.Round()) {
		return b.inner.BuildList(bd)
	}
	return bd.Correct()
}

// AuditDelay passes the inner behaviour's timing through inside the range.
func (b *rangedBehaviour) AuditDelay(n *Node, round int, window Slot, r Rand) (Slot, bool) {
	if t, ok := b.inner.(AuditTimer); ok && b.on(round) {
		return t.AuditDelay(n, round, window, r)
	}
	return 0, false
}

// Endowment passes the inner behaviour's stake through: a stake is fixed
// for the whole run, whatever the range.
func (b *rangedBehaviour) Endowment(n *Node) (ROE, bool) {
	if e, ok := b.inner.(Endowed); ok {
		return e.Endowment(n)
	}
	return 0, false
}
