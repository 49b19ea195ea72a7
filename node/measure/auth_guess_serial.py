# Run against a node started as in node/README.md ("Limits", "Admin port protection").
# Guesses AUTH passwords as fast as the node answers, one connection after another, for 30 s.
import socket, time
start, guesses, conns, last = time.time(), 0, 0, b""
while time.time() - start < 30:
    s = socket.create_connection(("127.0.0.1", 16500)); s.settimeout(10); conns += 1
    try:
        while time.time() - start < 30:
            s.sendall(b"*2\r\n$4\r\nAUTH\r\n$5\r\nguess\r\n"); r = s.recv(300)
            if not r: break
            guesses += 1; last = r
            if b"too many" in r and b"from" in r: break
    except OSError:
        pass
    s.close()
    if b"from" in last: break
el = time.time() - start
print(f"{guesses} guesses in {el:.1f} s over {conns} connections; last reply: {last.decode().strip()}")
s = socket.create_connection(("127.0.0.1", 16500)); s.sendall(b"*2\r\n$4\r\nAUTH\r\n$14\r\nright-password\r\n")
print("right password from the same address now:", s.recv(300).decode().strip())
