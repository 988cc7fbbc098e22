#if canImport(Glibc)
    import Glibc
#endif

/// CPU time used by this process, in seconds: what the benchmarks divide by, so a busy
/// second core does not distort the figure.
func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}
