"""The 5-station transfer line in SimPy: one process per station, Stores of 5 places
between them (a station waiting to put is blocked after service), exponential times with
means 1.0, 1.1, 1.2, 1.0, 0.9, raw material never short. Prints parts/s last.
Usage: python line_simpy.py PARTS
"""
import random
import sys
import time

import simpy

MEANS = [1.0, 1.1, 1.2, 1.0, 0.9]


def main():
    parts = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    env = simpy.Environment()
    rng = random.Random(1)
    buffers = [simpy.Store(env, capacity=5) for _ in MEANS[1:]]
    shipped = [0]

    def station(index):
        mean = MEANS[index]
        inbox = buffers[index - 1] if index > 0 else None
        outbox = buffers[index] if index < len(buffers) else None
        while True:
            if inbox is not None:
                yield inbox.get()
            yield env.timeout(rng.expovariate(1.0 / mean))
            if outbox is not None:
                yield outbox.put(1)
            else:
                shipped[0] += 1

    for index in range(len(MEANS)):
        env.process(station(index))
    # About 0.75 parts per time unit: run long enough for `parts` parts, twice (warm-up first).
    horizon = parts / 0.75
    env.run(until=horizon)
    before = shipped[0]
    start = time.process_time()
    env.run(until=2 * horizon)
    seconds = time.process_time() - start
    done = shipped[0] - before
    print(f"5-station line (SimPy {simpy.__version__}): {done} parts")
    print(f"cpu seconds: {seconds:.3f}")
    print(f"parts/s: {done / seconds:.0f}")


if __name__ == "__main__":
    main()
