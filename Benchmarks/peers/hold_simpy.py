"""Hold model in SimPy: the event list alone, as close to the metal as SimPy allows.

Each event is a bare simpy Timeout whose callback schedules the next one an exponential
time later (no process generators, which would add SimPy's process machinery to every
event). Prints events per CPU-second as its last line.
Usage: python hold_simpy.py PENDING EVENTS
"""
import random
import sys
import time

import simpy


def main():
    pending = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    env = simpy.Environment()
    rng = random.Random(1)
    expovariate = rng.expovariate

    def fire(_event):
        env.timeout(expovariate(1.0)).callbacks.append(fire)

    for _ in range(pending):
        env.timeout(expovariate(1.0)).callbacks.append(fire)
    step = env.step
    for _ in range(events):  # warm-up, untimed, as `takt bench hold` does
        step()
    start = time.process_time()
    for _ in range(events):
        step()
    seconds = time.process_time() - start
    print(f"hold model (SimPy {simpy.__version__}): {pending} pending, {events} events")
    print(f"cpu seconds: {seconds:.3f}")
    print(f"events/s: {events / seconds:.0f}")


if __name__ == "__main__":
    main()
