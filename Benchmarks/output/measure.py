#!/usr/bin/env python3
"""What writing the results costs: the flagship with record_operations, run with and without
--out, in interleaved pairs (wall time and peak memory of each run). Usage:
    python3 Benchmarks/output/measure.py [.build/release/takt] [pairs]
"""
import os, resource, shutil, statistics, subprocess, sys, tempfile, time

takt = sys.argv[1] if len(sys.argv) > 1 else ".build/release/takt"
pairs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
flagship = os.path.join(root, "scenarios", "smt-router-line.yaml")
out = tempfile.mkdtemp(prefix="takt-output-")


def timed(*extra):
    """Wall seconds and peak resident memory (MB) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [takt, "run", flagship, "--set", "mes.record_operations=true", "--quiet", *extra], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        sys.exit(f"takt failed with status {status}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


rows = []
for _ in range(pairs):
    shutil.rmtree(out, ignore_errors=True)
    plain, plain_memory = timed()
    written, written_memory = timed("--out", out)
    rows.append((plain, written, plain_memory, written_memory))
    print(f"without --out {plain:.3f} s {plain_memory:.0f} MB; with --out {written:.3f} s {written_memory:.0f} MB: {written / plain:.2f}x")
size = sum(os.path.getsize(os.path.join(out, name)) for name in os.listdir(out))
print(f"median {statistics.median(r[1] / r[0] for r in rows):.2f}x (target <= 2x); "
      f"{size / 1e6:.0f} MB written; peak memory {statistics.median(r[3] for r in rows):.0f} MB with --out "
      f"against {statistics.median(r[2] for r in rows):.0f} MB without")
shutil.rmtree(out, ignore_errors=True)
