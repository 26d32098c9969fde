// Package model is the protocol koiisim simulates: Koii's Gradual
// Consensus task cycle as docs/model.md specifies it, with no
// clock, no I/O and no goroutines.
//
// It holds plain data and the rules over it:
//
//   - money: ROE, the integer unit of account, exact KOII parsing and
//     the one way fractions multiply money (Fraction.Of, MulDiv: floor);
//   - the task's parameters (Task), the rule options where Koii's sources
//     differ (Rules, every zero value the koii default) and costs (Costs),
//     each with the validation of docs/model.md §2;
//   - the vote rule and tally (Ballot, Decide), the correct distribution
//     list (CorrectList) and the chain's own list checks (ChainAccepts);
//   - the Ledger, every movement of money, and its conservation check;
//   - nodes, populations and behaviours. A Behaviour decides what a node
//     does where the protocol leaves it a choice; behaviours register a
//     Kind with typed parameters, so scenario files, validation and the
//     reference in the README come from one declaration.
//
// Time and chance come from the caller: the sim package advances slots
// and hands each decision a Rand stream derived from the seed.
package model
