"""Hold model in salabim: PENDING components, each holding for exponential times forever.

salabim has no bare-event API, so this is its idiomatic form (a component per job); the
run lasts long enough for about EVENTS hold completions, counted exactly.
Prints events per CPU-second as its last line.
Usage: python hold_salabim.py PENDING EVENTS
"""
import random
import sys
import time

import salabim as sim

sim.yieldless(False)
completed = 0


class Job(sim.Component):
    def process(self):
        global completed
        while True:
            yield self.hold(random.expovariate(1.0))
            completed += 1


def main():
    global completed
    pending = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    random.seed(1)
    env = sim.Environment(trace=False, random_seed=1)
    for _ in range(pending):
        Job()
    # Each job completes one hold per time unit on average: pending events per time unit.
    env.run(till=events / pending)  # warm-up, untimed
    completed = 0
    start = time.process_time()
    env.run(till=2 * events / pending)
    seconds = time.process_time() - start
    print(f"hold model (salabim {sim.__version__}): {pending} pending, {completed} events")
    print(f"cpu seconds: {seconds:.3f}")
    print(f"events/s: {completed / seconds:.0f}")


if __name__ == "__main__":
    main()
