// Package shell writes command lines that a POSIX shell reads back as
// the same arguments: the replay and resume commands koiisim prints,
// which a user pastes into a terminal or a CI log hands to sh -c.
package shell
