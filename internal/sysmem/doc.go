// Package sysmem says how much memory this process may use: the
// machine's available memory (MemAvailable in /proc/meminfo) or the
// limit of its control group (memory.max, cgroup v2, or
// memory.limit_in_bytes, v1), whichever is lower, and parses sizes
// such as 8GiB for the --max-memory flag.
package sysmem
