"""Helpers of scripts/big-set: generate the RESP to fill a set, and walk it with SSCAN.

  big_set.py fill N PER_COMMAND      RESP for SADD big member-00000000 .. on stdout (for redis-cli --pipe)
  big_set.py scan PORT N COUNT       walks SSCAN big 0 COUNT ... to the end; checks every member-i, i < N,
                                     was returned, none other; prints "returned distinct steps seconds"
"""
import socket
import sys
import time


def fill(n, per_command):
    out = sys.stdout.buffer
    for start in range(0, n, per_command):
        members = [b"member-%08d" % i for i in range(start, min(n, start + per_command))]
        parts = [b"*%d\r\n$4\r\nSADD\r\n$3\r\nbig\r\n" % (len(members) + 2)]
        for m in members:
            parts.append(b"$%d\r\n%s\r\n" % (len(m), m))
        out.write(b"".join(parts))


class Resp:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"*":
            return [self.reply() for _ in range(int(rest))]
        if kind == b"$":
            return None if int(rest) < 0 else self._exact(int(rest))
        if kind == b":":
            return int(rest)
        if kind == b"-":
            raise RuntimeError(rest.decode())
        return rest

    def call(self, *words):
        parts = [b"*%d\r\n" % len(words)]
        for w in words:
            w = w if isinstance(w, bytes) else str(w).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(w), w))
        self.sock.sendall(b"".join(parts))
        return self.reply()


def scan(port, n, count):
    seen = bytearray(n)
    returned = distinct = steps = 0
    cursor = b"0"
    started = time.monotonic()
    conn = Resp(port)
    while True:
        cursor, members = conn.call("SSCAN", "big", cursor, "COUNT", count)
        steps += 1
        for m in members:
            i = int(m[len(b"member-"):])
            if not m.startswith(b"member-") or i >= n:
                raise SystemExit("unexpected member %r" % m)
            returned += 1
            if not seen[i]:
                seen[i] = 1
                distinct += 1
        if cursor == b"0":
            break
    missing = n - distinct
    if missing:
        raise SystemExit("SSCAN missed %d members" % missing)
    print(returned, distinct, steps, "%.1f" % (time.monotonic() - started))


if __name__ == "__main__":
    if sys.argv[1] == "fill":
        fill(int(sys.argv[2]), int(sys.argv[3]))
    else:
        scan(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
