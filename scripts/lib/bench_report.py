"""Helpers for scripts/bench-node: parse redis-benchmark CSV, sample and summarise replication lag."""
import csv
import json
import socket
import sys
import time
import urllib.request


def rps(csv_file):
    """Requests per second from redis-benchmark --csv output (first data row)."""
    with open(csv_file) as f:
        rows = [r for r in csv.reader(f) if r and r[0] != "test"]
    return float(rows[0][1])


def sample_lag(admin_ports, out_file, stop_file, period=0.05):
    """Every period, the largest lagMillis any node reports for any peer; until stop_file exists."""
    import os
    with open(out_file, "w") as out:
        while not os.path.exists(stop_file):
            worst = 0
            for port in admin_ports:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                        doc = json.load(r)
                    for m in doc.get("members", []):
                        worst = max(worst, m.get("lagMillis", 0))
                except OSError:
                    pass
            out.write(f"{worst}\n")
            out.flush()
            time.sleep(period)


def percentiles(sample_file):
    """p50 and p99 of the samples, in ms."""
    with open(sample_file) as f:
        xs = sorted(int(line) for line in f if line.strip())
    if not xs:
        return "n/a", "n/a"
    pick = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))]
    return pick(0.50), pick(0.99)


def load_sets(n, port, batch=1000, timeout=600):
    """SET key:N N for N in 0..n-1 on 127.0.0.1:port, batch commands in flight at most.

    redis-cli --pipe sends everything at once; a Meld node closes a connection with more than
    maxPipelinedCommands (10,000) waiting for replies, so the loader waits for each batch's
    replies (one line each: +OK or -ERR) before sending the next. Returns the error replies.
    """
    deadline = time.monotonic() + timeout
    errors = 0
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        for start in range(0, n, batch):
            if time.monotonic() > deadline:
                raise SystemExit(f"loading {n} keys took over {timeout} s")
            end = min(n, start + batch)
            out = bytearray()
            for i in range(start, end):
                k = f"key:{i:08d}".encode()
                v = f"{i:08d}".encode()
                out += b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v)
            s.sendall(out)
            replies, pending = 0, b""
            while replies < end - start:
                chunk = s.recv(65536)
                if not chunk:
                    raise SystemExit(f"connection closed after {start + replies} replies")
                pending += chunk
                lines = pending.split(b"\r\n")
                pending = lines.pop()
                replies += len(lines)
                errors += sum(1 for line in lines if line.startswith(b"-"))
    return errors


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "rps":
        print(f"{rps(sys.argv[2]):.0f}")
    elif cmd == "sample-lag":
        sample_lag([int(p) for p in sys.argv[2].split(",")], sys.argv[3], sys.argv[4])
    elif cmd == "percentiles":
        p50, p99 = percentiles(sys.argv[2])
        print(f"{p50} {p99}")
    elif cmd == "load-sets":
        errors = load_sets(int(sys.argv[2]), int(sys.argv[3]))
        print(f"{errors} error replies", file=sys.stderr)
        if errors:
            raise SystemExit(f"{errors} SETs were refused")
    else:
        raise SystemExit(f"unknown command: {cmd}")
