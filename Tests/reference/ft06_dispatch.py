"""Independent reference for non-delay dispatching on Fisher & Thompson's ft06.

Written separately from Takt (a decision-instant loop, not a discrete-event calendar) to
cross-check `takt run` with an MES releasing the six jobs at time 0. Semantics:
  - non-delay: at every instant, each idle machine with waiting operations starts one;
    the choice is made after every completion of that instant (end of the instant);
  - FIFO: the operation that arrived at the machine first; ties (same arrival instant) by
    release order, here the job number (job j is released j-th at time 0);
  - SPT / LPT: shortest / longest duration; ties as FIFO.
Prints "rule makespan" lines. Usage: python ft06_dispatch.py
"""
import heapq

FT06 = [
    [(2, 1), (0, 3), (1, 6), (3, 7), (5, 3), (4, 6)],
    [(1, 8), (2, 5), (4, 10), (5, 10), (0, 10), (3, 4)],
    [(2, 5), (3, 4), (5, 8), (0, 9), (1, 1), (4, 7)],
    [(1, 5), (0, 5), (2, 5), (3, 3), (4, 8), (5, 9)],
    [(2, 9), (1, 3), (4, 5), (5, 4), (0, 3), (3, 1)],
    [(1, 3), (3, 3), (5, 9), (0, 10), (4, 4), (2, 1)],
]


def makespan(rule):
    machines = 6
    waiting = {m: [] for m in range(machines)}   # (arrival_time, arrival_seq, job, op)
    busy_until = [0] * machines
    idle = [True] * machines
    completions = []                            # heap of (time, seq, job, op, machine)
    seq = 0
    arrival_seq = 0
    for job in range(len(FT06)):                 # released at 0 in job order
        waiting[FT06[job][0][0]].append((0, arrival_seq, job, 0))
        arrival_seq += 1
    now = 0
    last = 0
    while True:
        # End of the instant: every idle machine with waiting work chooses.
        for m in range(machines):
            if idle[m] and waiting[m]:
                def key(entry):
                    arrival, _, job, op = entry
                    duration = FT06[job][op][1]
                    base = {"fifo": 0, "spt": duration, "lpt": -duration}[rule]
                    return (base, arrival, job)
                entry = min(waiting[m], key=key)
                waiting[m].remove(entry)
                _, _, job, op = entry
                duration = FT06[job][op][1]
                idle[m] = False
                heapq.heappush(completions, (now + duration, seq, job, op, m))
                seq += 1
        if not completions:
            return last
        # Advance to the next instant and process all of its completions in order.
        now = completions[0][0]
        while completions and completions[0][0] == now:
            _, _, job, op, m = heapq.heappop(completions)
            idle[m] = True
            last = max(last, now)
            if op + 1 < len(FT06[job]):
                waiting[FT06[job][op + 1][0]].append((now, arrival_seq, job, op + 1))
                arrival_seq += 1


if __name__ == "__main__":
    for rule in ("spt", "fifo", "lpt"):
        print(rule, makespan(rule))
