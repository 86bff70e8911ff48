"""One client, written with Python's socket module rather than Node's, that does what its steps say; for
hostile-clients.test.ts. Usage: python3 hostile-clients.py HOST PORT < STEPS_JSON (on stdin: a flood's bytes are
too long for an argument)

Steps (bytes in hex):
  ["connect"]                      open a TCP connection
  ["send", HEX, COUNT]             send HEX repeated COUNT times (blocking: for servers that keep reading)
  ["send-for", HEX, COUNT, MS]     send as much of it as the server takes within MS ms, then go on
  ["shutdown"]                     half-close: send FIN, keep reading
  ["reset"]                        close with SO_LINGER 0, so the kernel sends RST and drops what is unread
  ["sleep", MS]
  ["expect", HEX]                  the next bytes received must be exactly these
  ["expect-to-eof", HEX, COUNT]    everything up to EOF must be HEX repeated COUNT times
  ["length-to-eof", N]             everything up to EOF must be N bytes
  ["contains-to-eof", HEX]         everything up to EOF must contain these bytes
  ["exchange", HEX, COUNT, N]      send HEX * COUNT and half-close while reading: N bytes must come back, then EOF
  ["udp", HEX]                     send one datagram from a fresh UDP socket
Exits 1 with one line saying what went wrong; every wait is bounded by the socket timeout.
"""
import json
import socket
import struct
import sys
import threading
import time

TIMEOUT_S = 10


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def read_to_eof(sock):
    data = bytearray()
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            return bytes(data)
        data += chunk


def shown(data):
    return repr(data[:60]) + (f"... ({len(data)} bytes)" if len(data) > 60 else "")


def main():
    host, port, steps = sys.argv[1], int(sys.argv[2]), json.load(sys.stdin)
    sock = None
    for step in steps:
        verb, args = step[0], step[1:]
        if verb == "connect":
            sock = socket.create_connection((host, port), timeout=TIMEOUT_S)
        elif verb == "send":
            sock.sendall(bytes.fromhex(args[0]) * args[1])
        elif verb == "send-for":
            # As much as the server takes within MS ms, or until it has taken nothing for 300 ms (it stopped reading).
            data, deadline = bytes.fromhex(args[0]) * args[1], time.monotonic() + args[2] / 1000
            sock.setblocking(False)
            last_taken = time.monotonic()
            while data and time.monotonic() < min(deadline, last_taken + 0.3):
                try:
                    data = data[sock.send(data):]
                    last_taken = time.monotonic()
                except BlockingIOError:
                    time.sleep(0.01)
            sock.settimeout(TIMEOUT_S)
        elif verb == "shutdown":
            sock.shutdown(socket.SHUT_WR)
        elif verb == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
            sock = None
        elif verb == "sleep":
            time.sleep(args[0] / 1000)
        elif verb == "expect":
            want, got = bytes.fromhex(args[0]), b""
            while len(got) < len(want):
                chunk = sock.recv(len(want) - len(got))
                if not chunk:
                    break
                got += chunk
            if got != want:
                fail(f"expected {shown(want)}, got {shown(got)}")
        elif verb == "expect-to-eof":
            want, got = bytes.fromhex(args[0]) * args[1], read_to_eof(sock)
            if got != want:
                fail(f"expected {shown(want)} before EOF, got {shown(got)}")
        elif verb == "length-to-eof":
            got = read_to_eof(sock)
            if len(got) != args[0]:
                fail(f"expected {args[0]} bytes before EOF, got {shown(got)}")
        elif verb == "contains-to-eof":
            want, got = bytes.fromhex(args[0]), read_to_eof(sock)
            if want not in got:
                fail(f"expected {shown(want)} in what came before EOF, got {shown(got)}")
        elif verb == "exchange":
            data = bytes.fromhex(args[0]) * args[1]

            # The sender is a thread, so the replies are read while they come and neither side waits on the other.
            def send_then_half_close():
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)

            sender = threading.Thread(target=send_then_half_close)
            sender.start()
            got = read_to_eof(sock)
            sender.join(TIMEOUT_S)
            if len(got) != args[2]:
                fail(f"sent {len(data)} bytes and half-closed: expected {args[2]} bytes back, got {shown(got)}")
        elif verb == "udp":
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.sendto(bytes.fromhex(args[0]), (host, port))
            udp.close()
        else:
            fail(f"unknown step {verb}")
    if sock is not None:
        sock.close()


try:
    main()
except OSError as error:
    fail(f"{type(error).__name__}: {error}")
