# Run against a node started as in node/README.md ("Limits", "Admin port protection").
# 20 connections each send all but one byte of a 62 MB SADD (8 members of 7,750,000 bytes) and hold it;
# reports how many are refused, the node's RSS, and whether a normal client is served.
import socket, sys, time, urllib.request
port, admin, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
member = 7_750_000
chunk = b"x" * (1 << 20)
held, refused = [], 0
for i in range(20):
    s = socket.create_connection(("127.0.0.1", port))
    # SADD k m1..m8, 7,750,000 bytes each (under the 8 MiB bulk limit): 62 MB, last byte held back
    s.sendall(b"*10\r\n$4\r\nSADD\r\n$1\r\nk\r\n")
    try:
        s.settimeout(5)
        for m in range(8):
            s.sendall(b"$%d\r\n" % member)
            sent, want = 0, member - (1 if m == 7 else 0)
            while sent < want:
                n = min(len(chunk), want - sent)
                s.sendall(chunk[:n]); sent += n
            if m < 7: s.sendall(b"\r\n")
    except OSError:
        pass
    s.settimeout(0.5)
    try:
        reply = s.recv(300)
        if reply.startswith(b"-"):
            refused += 1
            if refused == 1: print("refusal:", reply.decode().strip())
            s.close(); continue
    except socket.timeout:
        pass
    held.append(s)
time.sleep(1)
rss = int([l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]) // 1024
c = socket.create_connection(("127.0.0.1", port)); c.settimeout(5)
c.sendall(b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n"); ok = c.recv(100)
metrics = urllib.request.urlopen(f"http://127.0.0.1:{admin}/metrics").read().decode()
budget = [l for l in metrics.splitlines() if 'reason="budget"' in l and not l.startswith("#")]
print(f"held={len(held)} refused={refused} rss_mb={rss} normal_client={ok!r} {budget}")
