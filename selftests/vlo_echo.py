#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Known traffic both ways to one address, both ends in-process.

  vlo_echo.py ADDR BYTES
      sends BYTES bytes over TCP to a server on ADDR that echoes them back,
      then BYTES/1000 UDP datagrams of 1000 bytes, each echoed back.

Prints "tcp exact udp N/N" when every byte came back as sent (otherwise the
TCP byte count and the datagrams that came back intact); exits 0 then.
"""
import socket
import sys
import threading

# a stalled transfer fails the check instead of hanging the test
TIMEOUT = 60


def tcp(fam, addr, data):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.bind((addr, 0))
    srv.listen(1)

    def serve():
        conn, _ = srv.accept()
        conn.settimeout(TIMEOUT)
        while True:
            try:
                b = conn.recv(1 << 16)
                if not b:
                    break
                conn.sendall(b)
            except OSError:
                break
        conn.close()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    cli = socket.create_connection(srv.getsockname()[:2], timeout=TIMEOUT)
    got = bytearray()

    def read():
        while True:
            try:
                b = cli.recv(1 << 16)
            except OSError:
                break
            if not b:
                break
            got.extend(b)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        cli.sendall(data)
        cli.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    reader.join(TIMEOUT)
    return "exact" if bytes(got) == data else str(len(got))


def udp(fam, addr, data):
    srv = socket.socket(fam, socket.SOCK_DGRAM)
    srv.bind((addr, 0))
    cli = socket.socket(fam, socket.SOCK_DGRAM)
    cli.settimeout(5)
    n, back = len(data) // 1000, 0
    for i in range(n):
        chunk = data[i * 1000:(i + 1) * 1000]
        cli.sendto(chunk, srv.getsockname()[:2])
        b, peer = srv.recvfrom(2000)
        srv.sendto(b, peer)
        back += cli.recv(2000) == chunk
    return "%d/%d" % (back, n)


def main():
    addr, total = sys.argv[1], int(sys.argv[2])
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    data = bytes(i * 7 % 251 for i in range(total))
    out = "tcp %s udp %s" % (tcp(fam, addr, data), udp(fam, addr, data))
    print(out)
    n = total // 1000
    return 0 if out == "tcp exact udp %d/%d" % (n, n) else 1


if __name__ == "__main__":
    sys.exit(main())
