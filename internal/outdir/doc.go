// Package outdir guards koiisim's output directories against the two
// ways they get mixed up: two commands writing one directory at once
// (Lock, LockShard), and a command that stopped part way leaving new
// files beside old ones (MarkIncomplete, MarkComplete, CheckComplete).
//
// A lock is an advisory flock(2) on a file inside the directory, held
// for the life of the command and released by the kernel when the
// process ends, however it ends; the file holds the holder's process
// id so the refusal can name it. A whole command (run, sweep, merge,
// report) takes the directory alone; the shards of one sweep, which
// share a directory on a cluster, each take it shared plus their own
// shard alone.
package outdir
