#!/usr/bin/env python3
"""A mutational fuzzer for Takt's scenario reader, its rule language and its short runs, and for
the other files Takt reads: results.json (`takt report`), check baselines (`takt check`) and
trace stores (`takt trace`, `takt audit verify`).

It mutates the bundled scenarios (their structure, their values, their bytes, YAML features
such as aliases and deep nesting, and the texts of rules and assertions) and runs
`takt validate` on batches of them and `takt run` on some, with a fixed seed. A finding is:
  - an exit code outside {0, 1, 2, 64}, or a signal (a crash);
  - a time-out (a hang);
  - a rejection (exit 1 or 2) whose error lines do not start with `file:line` or, for a
    command-line option, with the option's name.
Findings are copied to a folder (default .build/fuzz-findings) so each can be replayed and
kept under Tests/TaktScenarioTests/FuzzRegressions/ as a regression input.

Python is test tooling here only; Takt never needs it to run.
"""

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

import yaml

INTERESTING = [
    "-1s", "0s", "1e-300s", "1e20s", "1e308s", "-3d", "0ms", "1ms", "1e-9s",
    "const(-1s)", "const(0s)", "const(1e20s)", "exp(0s)", "exp(-1s)", "exp(1e-300s)",
    "normal(1s, 1000s)", "normal(-5000s, 1s)", "normal(22s, -1s)", "normal(1e300s, 1e300s)",
    "weibull(shape: 0.001, scale: 1s)", "weibull(shape: 1e-300, scale: 1e300s)",
    "gamma(shape: 1e-300, mean: 1s)", "lognormal(mean: 1s, sd: 1e300s)",
    "uniform(5s, 1s)", "uniform(-1s, 1s)", "triangular(1s, 0s, 2s)", "beta(0, 1)",
    "discrete(values: [1s, 2s], p: [0.5, 0.6])", "empirical(file: /etc/passwd)",
    "empirical(samples: [])", "pert(1s, 1s, 1s)",
    "-1", "0", "1", "2147483648", "9223372036854775808", "1e300", "-1e300", "1e-300",
    "nan", ".nan", ".inf", "-.inf", "", "~", "true", "null", "0.5", "1.5", "-0.1",
    "x" * 300, "\u00e9\u00e8", "a\tb", "a\u0000b", "\u202e", "1e3s", "1_000", "0x10",
    "3d 10:00", "99:99", "25:00", "-1:00",
    "exp(1s) exp", "const(", "(((((", "[]", "{}",
]

RULE_SNIPPETS = [
    "wip(line) > 5", "0 / 0 == 0", "1 / 0 > 1", "oee(line, last: 1ms) < 0.5", "order.late",
    "aoi.fail_rate(last: 1h) > 2%", "hold lot wifi-soc/99999999999", "hold lot wifi-soc/3",
    "hold station place for 1ms", "maintain reflow for 0s", "set quality_alerts = 1 / 0",
    "dispatch edd", "page quality", "release units", "hold unit 1e30", "set speed place = 0%",
    "set wip_cap = -1", "set wip_cap = 1e300", "fail station reflow for 1e20s",
    "mark lot wifi-soc/1e12 bad", "add order router-ax1800 x 1e300 due 1d",
    "add urgent order router-ax1800 x 0 due -1d", "set speed place = 1e-300%",
]


def deep(n, open_, close):
    return open_ * n + "1" + close * n


def walk(node, path=()):
    """Yields (parent, key, value) for every node below `node`."""
    if isinstance(node, dict):
        for k, v in list(node.items()):
            yield node, k, v
            yield from walk(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield node, i, v
            yield from walk(v, path + (i,))


NUMBER = re.compile(r"-?\d+(\.\d+)?")


def mutate_value(rng, value):
    choice = rng.random()
    if isinstance(value, str) and choice < 0.35:
        # Scale or negate a number inside the text, keeping its unit.
        factor = rng.choice(["-", "1e20*", "1e-300*", "0*", "1e300*", "-1e9*"])

        def scale(m):
            x = float(m.group(0))
            if factor == "-":
                return repr(-x if x else -1.0)
            return repr(float(factor[:-1]) * x)
        return NUMBER.sub(scale, value, count=1)
    if choice < 0.8:
        return rng.choice(INTERESTING)
    if choice < 0.9:
        return rng.choice([[], {}, [value, value], {"x": value}, None, 1e300, -1, 0])
    return rng.choice(RULE_SNIPPETS)


def structural(rng, text):
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if not isinstance(doc, dict):
        return text
    for _ in range(rng.randint(1, 3)):
        nodes = list(walk(doc))
        if not nodes:
            break
        parent, key, value = rng.choice(nodes)
        op = rng.random()
        if op < 0.6:
            parent[key] = mutate_value(rng, value)
        elif op < 0.72:
            if isinstance(parent, dict):
                del parent[key]
            elif parent:
                parent.pop(key)
        elif op < 0.84 and isinstance(parent, list):
            for _ in range(rng.choice([1, 2, 50])):
                parent.append(value)
        elif isinstance(parent, dict):
            # A key that is not in the schema, or a near-miss of a real one.
            parent[rng.choice([str(key) + "s", str(key)[:-1], "bogus", "x" * 200])] = value
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def rule_text(rng, text):
    """Mutates the texts of rules, incidents and assertions."""
    snippets = [
        deep(rng.choice([10, 200, 10_000]), "(", ")") + " > 0",
        "not " * rng.choice([5, 5000]) + "order.late",
        "- " * rng.choice([5, 5000]) + "1 > 0",
        rng.choice(RULE_SNIPPETS),
        " and ".join(rng.choice(RULE_SNIPPETS) for _ in range(3)),
        "".join(rng.choice("()[]+-*/<>=!.,: abcxyz019%\"'") for _ in range(rng.randint(1, 40))),
    ]
    lines = text.split("\n")
    candidates = [i for i, l in enumerate(lines) if re.search(r"(when:|then:|do:|assert|^\s+- \")", l)]
    if not candidates:
        return text
    i = rng.choice(candidates)
    indent = re.match(r"\s*(- )?([a-z_]+: )?", lines[i]).group(0)
    lines[i] = indent + '"' + rng.choice(snippets).replace('"', "'") + '"'
    return "\n".join(lines)


def yaml_features(rng, text):
    """Alias bombs, deep nesting, huge documents, odd encodings."""
    kind = rng.randrange(7)
    if kind == 0:
        bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for i in range(1, 9):
            bomb.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
        where = rng.choice(["description: *a8", "name: *a8", "*a8 : 1"])
        return text + "\n" + "\n".join(".t" + b for b in bomb) + "\n" + where + "\n"
    if kind == 1:
        n = rng.choice([100, 5000, 50_000])
        return text + "\ndescription: " + deep(n, "[", "]") + "\n"
    if kind == 2:
        n = rng.choice([100, 5000])
        return text + "\ndescription: " + "{a: " * n + "1" + "}" * n + "\n"
    if kind == 3:
        return text.replace("name:", "name: &n", 1) + "\ndescription: *n\ndescription: *missing\n"
    if kind == 4:
        return "\ufeff" + text
    if kind == 5:
        first = text.find("\n", len(text) // 2)
        return text[:first] + "\n" + text[:first]  # duplicate keys
    return text + "\n" + "x: 1\n" * rng.choice([10, 10_000])


def textual(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        if not data:
            break
        at = rng.randrange(len(data))
        if op == 0:
            data[at] = rng.randrange(256)
        elif op == 1:
            data[at:at] = rng.choice([b"\x00", b"\t", b"\x1b[31m", b"\xff\xfe", b"\xc3", b"\r", b"\x7f"])
        elif op == 2:
            del data[at:at + rng.randint(1, 40)]
        elif op == 3:
            lines = bytes(data).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        elif op == 4:
            lines = bytes(data).split(b"\n")
            del lines[rng.randrange(len(lines))]
            data = bytearray(b"\n".join(lines))
        elif op == 5:
            data = data[:at]
        else:
            data[at:at] = rng.choice([b"  ", b": ", b"- ", b"&x ", b"*x ", b"!!binary ", b"? ", b"|"])
    return bytes(data)


def mutate(rng, seeds):
    name, text = rng.choice(seeds)
    kind = rng.random()
    if kind < 0.45:
        out = structural(rng, text).encode()
    elif kind < 0.6:
        out = rule_text(rng, text).encode()
    elif kind < 0.7:
        out = yaml_features(rng, text).encode()
    else:
        out = textual(rng, text.encode())
    return name, out


def mutate_json(rng, results):
    """A results.json with one to three values changed: numbers to extremes, lists cut or grown."""
    doc = json.loads(results)
    for _ in range(rng.randint(1, 3)):
        nodes = list(walk(doc))
        parent, key, value = rng.choice(nodes)
        op = rng.random()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and op < 0.6:
            parent[key] = rng.choice([1e308, -1e308, 1e300, -1, 0, 2**63, 1e-320, 10**12, -(10**12)])
        elif isinstance(value, list) and op < 0.8:
            if value and rng.random() < 0.5:
                del value[rng.randrange(len(value)):]
            else:
                value.extend(value[:1] * rng.choice([1, 5]))
        elif op < 0.9:
            parent[key] = rng.choice([None, "x", [], {}, True, 1e308])
        elif isinstance(parent, dict):
            del parent[key]
    text = json.dumps(doc)
    if rng.random() < 0.2:
        text = text.replace("1e+308", rng.choice(["NaN", "Infinity", "1e999"]), 1)
    return text.encode()


LOCATED = re.compile(r"^error: (\S+?):\d+(:\d+)?: ")
OPTION = re.compile(r"^error: --?[a-z]")
GOOD_EXITS = {0, 1, 2, 3, 64}  # 3: `takt audit verify` of a store whose run did not finish

# Values a tampered trace store may hold where Takt wrote something else.
STORE_VALUES = [1e300, -1e300, -1, 0, 2**63 - 1, -(2**63), float("nan"), "x", "", None, b"\x00\xff", "1e999"]


def tamper_store(rng, source, path):
    """A copy of the trace store `source` at `path` with one to three cells changed."""
    shutil.copy(source, path)
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for _ in range(rng.randint(1, 3)):
        table = rng.choice(tables)
        columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
        rows = [r[0] for r in db.execute(f'SELECT rowid FROM "{table}" LIMIT 200')]
        if not rows:
            continue
        try:
            db.execute(f'UPDATE "{table}" SET "{rng.choice(columns)}" = ? WHERE rowid = ?',
                       (rng.choice(STORE_VALUES), rng.choice(rows)))
        except sqlite3.Error:
            pass  # a NOT NULL or key constraint: that cell stays
    db.commit()
    db.close()


def unlocated(stderr, exit_code):
    """The error lines of a rejection that name neither a file:line nor an option."""
    if exit_code not in (1, 2):
        return []
    bad = []
    for line in stderr.splitlines():
        if line.startswith("error:") and not (LOCATED.match(line) or OPTION.match(line)):
            bad.append(line[:200])
    return bad


class Campaign:
    def __init__(self, takt, findings, timeout):
        self.takt = takt
        self.findings = findings
        self.timeout = timeout
        self.counts = {"validate": 0, "run": 0, "report": 0, "check": 0, "store": 0, "crash": 0, "hang": 0,
                       "unlocated": 0, "rejected": 0}
        os.makedirs(findings, exist_ok=True)

    def call(self, args):
        try:
            p = subprocess.run([self.takt] + args, capture_output=True, timeout=self.timeout)
            return p.returncode, p.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            return None, ""

    def keep(self, kind, path, detail):
        self.counts[kind] += 1
        extension = os.path.splitext(path)[1] or ".yaml"  # a trace store stays .sqlite, a baseline .json
        dest = os.path.join(self.findings, f"{kind}-{self.counts[kind]:04d}{extension}")
        shutil.copy(path, dest)
        with open(dest + ".txt", "w") as f:
            f.write(detail + "\n")
        print(f"  {kind}: {dest}: {detail[:300]}", flush=True)

    def judge(self, path, args, code, stderr):
        # A report of a results.json is judged on exit code and signal alone: its errors name
        # the file and the key path, not a line.
        if code is None:
            self.keep("hang", path, f"takt {' '.join(args)}: no answer in {self.timeout} s")
        elif code not in GOOD_EXITS:
            self.keep("crash", path, f"takt {' '.join(args)}: exit {code}\n{stderr[-2000:]}")
        else:
            if code != 0:
                self.counts["rejected"] += 1
            bad = [] if args[0] in ("report", "check", "trace", "audit") else unlocated(stderr, code)
            if bad:
                self.keep("unlocated", path, f"takt {' '.join(args)}: " + "\n".join(bad[:3]))

    def validate_batch(self, paths):
        self.counts["validate"] += len(paths)
        code, stderr = self.call(["validate"] + paths)
        if code is None or code not in GOOD_EXITS:
            # Find the culprit(s) one by one.
            for path in paths:
                c, e = self.call(["validate", path])
                self.judge(path, ["validate", path], c, e)
            return
        # Split the batch's error lines by file for the location check.
        if code != 0:
            self.counts["rejected"] += sum(1 for p in paths if f"error: {p}" in stderr)
            for line in stderr.splitlines():
                if line.startswith("error:") and not (LOCATED.match(line) or OPTION.match(line)):
                    owner = next((p for p in paths if p in line), paths[0])
                    self.keep("unlocated", owner, "takt validate: " + line[:300])
                    break

    def report(self, path):
        self.counts["report"] += 1
        out = path + ".html"
        args = ["report", path, "-o", out]
        code, stderr = self.call(args)
        self.judge(path, args, code, stderr)
        if os.path.exists(out):
            os.remove(out)

    def check(self, path, scenario):
        """`takt check` of `scenario` against the (damaged) baseline at `path`."""
        self.counts["check"] += 1
        args = ["check", scenario, "--baseline", path, "--quiet"]
        code, stderr = self.call(args)
        self.judge(path, args, code, stderr)

    def store(self, path, queries):
        """Every reader of the (tampered) trace store at `path`."""
        self.counts["store"] += 1
        for query in queries:
            args = [path if word == "STORE" else word for word in query]
            code, stderr = self.call(args)
            self.judge(path, args, code, stderr)

    def run(self, path, horizon):
        self.counts["run"] += 1
        args = ["run", path, "--replications", "1", "--threads", "1", "--quiet", "--horizon", horizon,
                "--warmup", "0s"]
        code, stderr = self.call(args)
        self.judge(path, args, code, stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--takt", default=".build/release/takt")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=40, help="scenarios per takt validate process")
    parser.add_argument("--run-share", type=float, default=0.15, help="share of inputs also run briefly")
    parser.add_argument("--findings", default=".build/fuzz-findings")
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--scenarios", default="scenarios")
    args = parser.parse_args()

    seeds = []
    for f in sorted(os.listdir(args.scenarios)):
        if f.endswith(".yaml"):
            with open(os.path.join(args.scenarios, f), encoding="utf-8") as h:
                seeds.append((f, h.read()))
    rng = random.Random(args.seed)
    campaign = Campaign(args.takt, args.findings, args.timeout)
    work = tempfile.mkdtemp(prefix="takt-fuzz-")
    # Results to mutate for `takt report`: one run without an MES and one with.
    results = []
    for name in ["first-line.yaml", "smt-router-line.yaml"]:
        out = os.path.join(work, "results-" + name)
        subprocess.run([args.takt, "run", os.path.join(args.scenarios, name), "--replications", "2", "--horizon",
                        "2d", "--warmup", "0s", "--quiet", "--out", out], capture_output=True, check=True)
        with open(os.path.join(out, "results.json")) as h:
            results.append(h.read())
    # A check baseline of the first line, and a trace store of the flagship, to damage.
    first_line = os.path.join(args.scenarios, "first-line.yaml")
    baseline = os.path.join(work, "baseline.json")
    subprocess.run([args.takt, "check", first_line, "--replications", "2", "--baseline", baseline,
                    "--update-baseline", "--quiet"], capture_output=True, check=True)
    with open(baseline) as h:
        baseline_text = h.read()
    store = os.path.join(work, "trace.sqlite")
    subprocess.run([args.takt, "run", os.path.join(args.scenarios, "smt-router-line.yaml"), "--replications", "1",
                    "--horizon", "1d", "--warmup", "0s", "--quiet", "--trace", store], capture_output=True, check=True)
    with sqlite3.connect(store) as db:
        serial = db.execute("SELECT serial FROM unit LIMIT 1 OFFSET 5").fetchone()[0]
        order = db.execute("SELECT work_order FROM work_order LIMIT 1").fetchone()[0]
        material, lot = db.execute("SELECT material, lot FROM lot_draw LIMIT 1").fetchone()
        machine = db.execute("SELECT machine FROM operation LIMIT 1").fetchone()[0]
    queries = [["trace", "STORE", "--serial", str(serial)], ["trace", "STORE", "--order", order],
               ["trace", "STORE", "--lot", str(lot), "--material", material, "--forward"],
               ["trace", "STORE", "--machine", machine, "--to", "30h"], ["audit", "verify", "STORE"],
               ["audit", "list", "STORE"]]
    start = time.monotonic()
    batch_no = 0
    try:
        while time.monotonic() - start < args.seconds:
            paths = []
            for i in range(args.batch):
                name, data = mutate(rng, seeds)
                path = os.path.join(work, f"b{batch_no}-{i}-{name}")
                with open(path, "wb") as h:
                    h.write(data)
                paths.append(path)
            campaign.validate_batch(paths)
            for path in paths:
                if rng.random() < args.run_share and time.monotonic() - start < args.seconds:
                    campaign.run(path, rng.choice(["2h", "1d", "2d"]))
            for i in range(args.batch // 8):
                path = os.path.join(work, f"b{batch_no}-{i}-results.json")
                with open(path, "wb") as h:
                    h.write(mutate_json(rng, rng.choice(results)))
                campaign.report(path)
                paths.append(path)
            if batch_no % 2 == 0:
                path = os.path.join(work, f"b{batch_no}-baseline.json")
                with open(path, "wb") as h:
                    h.write(mutate_json(rng, baseline_text))
                campaign.check(path, first_line)
                paths.append(path)
                path = os.path.join(work, f"b{batch_no}-trace.sqlite")
                tamper_store(rng, store, path)
                campaign.store(path, queries)
                paths.append(path)
            for path in paths:
                os.remove(path)
            batch_no += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    c = campaign.counts
    elapsed = time.monotonic() - start
    print(f"fuzz: seed {args.seed}, {elapsed:.0f} s: {c['validate']} validated, {c['run']} run, {c['report']} reports, "
          f"{c['check']} damaged baselines checked, {c['store']} tampered stores read; "
          f"{c['rejected']} rejected; {c['crash']} crashes, {c['hang']} hangs, {c['unlocated']} unlocated errors")
    return 1 if c["crash"] or c["hang"] or c["unlocated"] else 0


if __name__ == "__main__":
    sys.exit(main())
