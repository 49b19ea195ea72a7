"""Helpers for scripts/bench-node: mass loading, waiting for replication, paced load, lag, tables.

Commands (python3 bench_report.py COMMAND ...):
  rps CSV                          requests/s from redis-benchmark --csv
  load PORT counters|members N     N INCRs or N SADDs to one set, through redis-cli --pipe
  settle ADMIN_PORTS TIMEOUT_S     wait until the nodes hold the same state and have no backlog
  sample-lag ADMIN_PORTS OUT STOP  worst peer lag every 50 ms until STOP exists
  percentiles FILE                 p50 and p99 of the samples
  pace PORT RATE SECONDS RANGE     INCRs at RATE per second; prints the rate reached
  table RESULTS                    the Markdown tables from the script's results file
"""
import csv
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request

# The key and the member names redis-benchmark itself uses ("counter:__rand_int__", "SADD myset
# element:__rand_int__", 12 digits), so the loaded keys are the ones its INCR and SADD runs hit.
SET_KEY = b"myset"
COUNTER = b"counter:%012d"
MEMBER = b"element:%012d"

# A node on a branch before the one that keeps a client that outruns it waiting answers "too many
# pipelined commands" once 10,000 wait for replies, and redis-cli --pipe writes everything before
# reading: so one redis-cli --pipe per 5,000 commands, each waiting for all its replies.
PIPE_CHUNK = 5000
MEMBERS_PER_SADD = 100


def rps(csv_file):
    """Requests per second from redis-benchmark --csv output (first data row)."""
    with open(csv_file) as f:
        rows = [r for r in csv.reader(f) if r and r[0] != "test"]
    return float(rows[0][1])


def resp(*words):
    out = b"*%d\r\n" % len(words)
    for w in words:
        out += b"$%d\r\n%s\r\n" % (len(w), w)
    return out


def load(port, kind, n, timeout=1800):
    """N counters (INCR counter:i) or N members of one set (SADD myset element:i), i in [0, n).

    The members go MEMBERS_PER_SADD to a command: the set is only the setting of the measurement,
    and a million single SADDs replicated to two peers would take most of the run's time.
    """
    if kind not in ("counters", "members"):
        raise SystemExit(f"load: kind: {kind} (expected: counters or members)")
    if kind == "counters":
        commands = (resp(b"INCR", COUNTER % i) for i in range(n))
    else:
        commands = (resp(b"SADD", SET_KEY, *(MEMBER % i for i in range(s, min(n, s + MEMBERS_PER_SADD))))
                    for s in range(0, n, MEMBERS_PER_SADD))
    deadline = time.monotonic() + timeout
    sent = 0
    while True:
        chunk = [c for _, c in zip(range(PIPE_CHUNK), commands)]
        if not chunk:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise SystemExit(f"load: {n} {kind} on port {port} took over {timeout} s")
        done = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=b"".join(chunk),
                              capture_output=True, timeout=min(left, 600))
        summary = done.stdout.decode(errors="replace").strip().splitlines()
        if done.returncode != 0 or not summary or f"errors: 0, replies: {len(chunk)}" not in summary[-1]:
            raise SystemExit(f"load: redis-cli --pipe of {kind}, commands {sent}..{sent + len(chunk) - 1}, "
                             f"on port {port}: "
                             f"{' / '.join(summary[-3:]) or done.stderr.decode(errors='replace')}")
        sent += len(chunk)


def health(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
        return json.load(r)


def settle(admin_ports, timeout):
    """Seconds until every node's peers acknowledged its whole log and all show one root digest,
    or None after timeout. An empty backlog alone is not enough: a peer that fell behind the
    retained log acknowledges the gap and is repaired by anti-entropy afterwards (seen: a peer
    with 921,808 of the 1,000,000 members while every backlog was empty)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            docs = [health(p) for p in admin_ports]
            if (all(m.get("backlogEntries", 0) == 0 for d in docs for m in d.get("members", []))
                    and len({d.get("rootDigest") for d in docs}) == 1):
                return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.2)
    return None


def sample_lag(admin_ports, out_file, stop_file, period=0.05, most_seconds=1800):
    """Every period, the largest lagMillis any node reports for any peer; until stop_file exists
    (or its folder is gone, or most_seconds passed: a script that died must not leave it running)."""
    end = time.monotonic() + most_seconds
    with open(out_file, "w") as out:
        while (not os.path.exists(stop_file) and os.path.isdir(os.path.dirname(stop_file) or ".")
               and time.monotonic() < end):
            worst = 0
            for port in admin_ports:
                try:
                    for m in health(port).get("members", []):
                        worst = max(worst, m.get("lagMillis", 0))
                except OSError:
                    pass
            out.write(f"{worst}\n")
            out.flush()
            time.sleep(period)


def percentiles(sample_file):
    """p50 and p99 of the samples in ms, and how many samples there were."""
    with open(sample_file) as f:
        xs = sorted(int(line) for line in f if line.strip())
    if not xs:
        return "n/a", "n/a", 0
    pick = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))]
    return pick(0.50), pick(0.99), len(xs)


def pace(port, rate, seconds, key_range, window=4000):
    """INCR counter:<random below key_range> at rate per second for seconds, on one connection.

    Commands go out every 5 ms as the schedule falls due; at most window wait for replies (under
    the node's 10,000), so a server slower than rate is not buried and the rate reached shows it.
    Returns (requests per second reached, error replies).
    """
    rng = random.Random(16)
    sent = replied = errors = 0
    pending = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.setblocking(False)
        t0 = time.monotonic()
        end = t0 + seconds
        while True:
            now = time.monotonic()
            due = int((min(now, end) - t0) * rate) - sent
            room = window - (sent - replied)
            if now < end and due > 0 and room > 0:
                k = min(due, room)
                s.setblocking(True)
                s.sendall(b"".join(resp(b"INCR", COUNTER % rng.randrange(key_range)) for _ in range(k)))
                s.setblocking(False)
                sent += k
            try:
                chunk = s.recv(1 << 16)
                if not chunk:
                    raise SystemExit(f"pace: connection closed after {replied} replies")
                pending += chunk
                lines = pending.split(b"\r\n")
                pending = lines.pop()
                replied += len(lines)
                errors += sum(1 for line in lines if line.startswith(b"-"))
            except BlockingIOError:
                time.sleep(0.005)
            if now >= end and replied >= sent:
                break
            if now > end + 60:
                raise SystemExit(f"pace: {sent - replied} replies still missing 60 s after the end")
        return replied / (time.monotonic() - t0), errors


def table(results_file):
    """Prints the issue-16 table and the details table from the script's results."""
    r = {}
    with open(results_file) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            r.setdefault(key, value)
    size = int(r["size"])
    label = "1M" if size == 1_000_000 else f"{size:,}"
    systems = ["redis", "redis-aof", "meld1", "meld3"]

    def num(key):
        v = r.get(key)
        return float(v) if v not in (None, "") else None

    def ratio(a, b):
        return f"{a / b:.2f}x" if a and b else "n/a"

    def cells(values, base):
        """Redis, Redis AOF, Meld 1, its ratio to base, Meld 3, its ratio to base."""
        show = lambda v: "n/a" if v is None else f"{v:,.0f}"
        return [show(values[0]), show(values[1]), show(values[2]), ratio(values[2], base),
                show(values[3]), ratio(values[3], base)]

    names = {"incr": "INCR", "sadd": "SADD into an empty set", "sadd1m": f"SADD into a set of {label}",
             "get": "GET"}
    out = ["| req/s unless noted | Redis, no persistence | Redis, AOF everysec | Meld, 1 node "
           "| 1 node / Redis | Meld, 3 nodes | 3 nodes / Redis |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for p in ("1", "16"):
        for t in ("incr", "sadd", "sadd1m", "get"):
            vals = [num(f"{s}.rps.{t}.{p}") for s in systems]
            out.append(f"| {names[t]}, -P {p} | " + " | ".join(cells(vals, vals[0])) + " |")
    for p in ("1", "16"):
        vals = [ratio(num(f"{s}.rps.sadd1m.{p}"), num(f"{s}.rps.sadd.{p}")) for s in systems]
        out.append(f"| SADD into {label} / into empty, -P {p} | {vals[0]} | {vals[1]} | {vals[2]} | "
                   f"| {vals[3]} | |")
    lag = r.get("meld3.lag.paced", "n/a n/a 0").split()
    out.append(f"| replication lag p50 / p99 (ms), INCR paced at {r.get('meld3.paced.target', 'n/a')} "
               f"req/s, half the 3-node peak (reached {r.get('meld3.paced.rate', 'n/a')}; {lag[2]} samples) "
               f"| | | | | {lag[0]} / {lag[1]} | |")
    def mib(before, after, s):
        a, b = num(f"{s}.rss.{before}"), num(f"{s}.rss.{after}")
        return None if a is None or b is None else (b - a) * 1e6 / size / 2**20

    for what, a, b in (("counters", "empty", "counters"), ("set members (one set)", "setbase", "members")):
        red, meld = mib(a, b, "redis"), mib(a, b, "meld1")
        show = lambda v: "n/a" if v is None else f"{v:.1f}"
        out.append(f"| RSS per 1M {what}, MiB | {show(red)} | | {show(meld)} | {ratio(meld, red)} | | |")
    print("\n".join(out))

    print()
    print("| details | Redis, no persistence | Redis, AOF everysec | Meld, 1 node | Meld, 3 nodes |")
    print("|---|---:|---:|---:|---:|")
    for p in ("1", "16"):
        for t in ("incr", "sadd", "sadd1m", "get"):
            cpu = " | ".join(r.get(f"{s}.cpu.{t}.{p}", "n/a") for s in systems)
            print(f"| CPU µs per request, {names[t]}, -P {p} | {cpu} |")
    for p in ("1", "16"):
        for t in ("incr", "sadd", "sadd1m"):
            lag = r.get(f"meld3.lag.{t}.{p}", "n/a n/a 0").split()
            print(f"| replication lag p50 / p99 (ms) flat out, {names[t]}, -P {p} | | | | "
                  f"{lag[0]} / {lag[1]} ({lag[2]} samples) |")
    for p in ("1", "16"):
        for t in ("incr", "sadd", "sadd1m", "get"):
            print(f"| anti-entropy MiB sent during {names[t]}, -P {p} (all nodes) | | | | "
                  f"{r.get(f'meld3.ae.{t}.{p}', 'n/a')} |")
    print(f"| anti-entropy MiB sent while the {label} members loaded and replicated | | | | "
          f"{r.get('meld3.ae.load', 'n/a')} |")
    secs = " | ".join(r.get(f"{s}.load.counters", "") for s in systems)
    print(f"| redis-cli --pipe of {label} counters into a fresh server, s | {secs} |")
    secs = " | ".join(r.get(f"{s}.load.members", "n/a") for s in systems)
    print(f"| redis-cli --pipe of {label} members, {MEMBERS_PER_SADD} to a SADD, s; 3 nodes: until "
          f"replicated | {secs} |")
    for what, before, after in (("counters", "empty", "counters"), ("set", "setbase", "members")):
        rss = " | ".join(f"{num(f'{s}.rss.{before}') / 2**20:.0f} → {num(f'{s}.rss.{after}') / 2**20:.0f}"
                         if num(f"{s}.rss.{before}") and num(f"{s}.rss.{after}") else "" for s in systems)
        print(f"| RSS of a fresh server before → after the {label} {what}, MiB | {rss} |")
        if f"meld1.heap.{what}" in r:
            print(f"| Meld heap after full GC / RocksDB files with the {label} {what}, MiB | | | "
                  f"{num(f'meld1.heap.{what}') / 2**20:.0f} / {num(f'meld1.store.{what}') / 2**20:.0f} | |")
    notes = [v for k, v in r.items() if k.startswith("note")]
    for n in notes:
        print(f"\nNote: {n}")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    ports = lambda s: [int(p) for p in s.split(",")]
    if cmd == "rps":
        print(f"{rps(args[0]):.0f}")
    elif cmd == "load":
        load(int(args[0]), args[1], int(args[2]))
    elif cmd == "settle":
        waited = settle(ports(args[0]), float(args[1]))
        print("timeout" if waited is None else f"{waited:.1f}")
    elif cmd == "sample-lag":
        sample_lag(ports(args[0]), args[1], args[2])
    elif cmd == "percentiles":
        print(*percentiles(args[0]))
    elif cmd == "pace":
        reached, errors = pace(int(args[0]), float(args[1]), float(args[2]), int(args[3]))
        if errors:
            raise SystemExit(f"pace: {errors} error replies")
        print(f"{reached:.0f}")
    elif cmd == "table":
        table(args[0])
    else:
        raise SystemExit(f"unknown command: {cmd} (expected: rps, load, settle, sample-lag, "
                         "percentiles, pace or table)")
