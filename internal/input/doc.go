// Package input reads the files koiisim is given or reads back
// (scenarios, baselines, manifests, cells, a run's outputs) with two
// guards: only a regular file is opened, so a FIFO, a device, a socket
// or a directory given by mistake is refused instead of blocking or
// reading forever; and each kind of file has a named size limit, past
// which reading stops with an error that names the file and the limit
// instead of exhausting memory.
package input
