package sim

// BenchConfig is benchConfig for the benchmarks of package sim_test.
var BenchConfig = benchConfig

// CPUSeconds is cpuSeconds for the benchmarks of package sim_test.
var CPUSeconds = cpuSeconds
