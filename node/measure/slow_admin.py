# Run against a node started as in node/README.md ("Limits", "Admin port protection").
# 1,000 admin connections, each sending a request header one byte a second; how many the node keeps.
import socket, time, select
socks = []
for i in range(1000):
    s = socket.create_connection(("127.0.0.1", 16502)); s.setblocking(False)
    try: s.send(b"GET /health HTTP/1.1\r\n")
    except OSError: pass
    socks.append(s)
def open_count():
    n = 0
    for s in socks:
        try:
            if s.recv(1) == b"":
                continue  # closed by the node
            n += 1
        except BlockingIOError:
            n += 1  # nothing to read: still open
        except OSError:
            pass  # reset by the node
    return n
start = time.time()
for t in range(14):
    for s in socks:
        try: s.send(b"X")
        except OSError: pass
    time.sleep(1)
    if t in (1, 8, 13): print(f"after {time.time()-start:.0f} s: {open_count()} of 1000 still open")
