"""Side by side: a live session at max speed with one viewer attached against the same
replication's session core without a server (`takt bench live`), in interleaved pairs, in
events per CPU-second of the takt process (the serving process's CPU time is read from
/proc between the resume and the last update, so the viewer's own work is not counted and
a busy shared machine does not blur the figure).

    python3 Benchmarks/live/measure.py .build/release/takt [pairs]

Needs the `websockets` package (scripts/check-live's virtual environment has it:
.build-tools/live-venv/bin/python). Prints events/s of each, interleaved pairs, and the
median ratio; test tooling only, never part of Takt.
"""
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import websockets

TAKT = sys.argv[1]
PAIRS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
SCENARIO = "scenarios/smt-router-line.yaml"
# 60 days (about 600,000 events): long enough that a request's latency and the last update's
# interval (at most 0.1 s) are small against the run.
HORIZON = "horizon=60d"
TOKEN = "measure-live-token-0123456789"


def cpu_seconds(pid):
    """User and system CPU seconds of process `pid` so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def served_run():
    """Events/s of the flagship at max speed with one WebSocket viewer attached."""
    log = tempfile.mktemp(suffix=".log")
    process = subprocess.Popen(
        [TAKT, "serve", SCENARIO, "--port", "0", "--token", TOKEN, "--paused", "--no-exercise", "--speed", "max",
         "--session-log", log, "--set", HORIZON], stdout=subprocess.PIPE, text=True)
    try:
        port = None
        while port is None:
            match = re.search(r"127\.0\.0\.1:(\d+)/", process.stdout.readline())
            port = match and match.group(1)
        base = f"http://127.0.0.1:{port}"

        async def view():
            async with websockets.connect(f"ws://127.0.0.1:{port}/api/stream?token={TOKEN}", max_size=2**22) as ws:
                await ws.recv()
                request = urllib.request.Request(base + "/api/commands", data=b'{"command": "resume"}')
                request.add_header("Authorization", "Bearer " + TOKEN)
                start = cpu_seconds(process.pid)
                urllib.request.urlopen(request).read()
                updates = 0
                while True:
                    state = json.loads(await ws.recv())
                    updates += 1
                    if state["status"] == "finished":
                        return state["events"], cpu_seconds(process.pid) - start, updates

        events, seconds, updates = asyncio.run(view())
        return events / seconds, updates
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait()
        os.remove(log)


def core_run():
    """Events/s of the same replication's session core, without a server."""
    out = subprocess.run([TAKT, "bench", "live", SCENARIO, "--set", HORIZON], capture_output=True, text=True,
                         check=True).stdout
    return float(out.strip().splitlines()[-1].split()[-1])


served, core, ratios = [], [], []
for _ in range(PAIRS):
    rate, updates = served_run()
    reference = core_run()
    served.append(rate)
    core.append(reference)
    ratios.append(rate / reference)
    print(f"served at max, one viewer: {rate:,.0f} events/CPU-s ({updates} updates); core alone: {reference:,.0f}; ratio {rate / reference:.3f}")
print(f"median: served {statistics.median(served):,.0f}, core {statistics.median(core):,.0f} events/s; "
      f"ratio {statistics.median(ratios):.3f} (target >= 0.90: serving costs at most 10%)")
