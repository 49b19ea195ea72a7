# Run against a node started as in node/README.md ("Limits", "Admin port protection").
# 50 threads guess AUTH passwords in parallel from one address for 20 s, reconnecting when closed.
import socket, threading, time
wrong, refused, lock = [0], [0], threading.Lock()
end = time.time() + 20
def worker():
    while time.time() < end:
        try:
            s = socket.create_connection(("127.0.0.1", 16500)); s.settimeout(10)
            while time.time() < end:
                s.sendall(b"*2\r\n$4\r\nAUTH\r\n$5\r\nguess\r\n"); r = s.recv(300)
                if not r: break
                with lock:
                    if r.startswith(b"-WRONGPASS"): wrong[0] += 1
                    elif b"from" in r: refused[0] += 1
        except OSError:
            pass
ts = [threading.Thread(target=worker) for _ in range(50)]
[t.start() for t in ts]; [t.join() for t in ts]
print(f"20 s, 50 parallel connections from one address: {wrong[0]} passwords checked (WRONGPASS), {refused[0]} refused unchecked")
