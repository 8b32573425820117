#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Known amounts of TCP and UDP traffic to one address, both ends in-process.

  vlo_traffic.py tcp ADDR PORT BYTES [--src SRC]
      connects from SRC (default: let the kernel pick) to a listener on
      ADDR:PORT, sends BYTES bytes, and checks the listener got them all.
  vlo_traffic.py udp ADDR PORT COUNT SIZE [--src SRC]
      sends COUNT datagrams of SIZE payload bytes from SRC to a socket bound
      on ADDR:PORT and checks that all COUNT arrived.

Prints what was received and exits 0 when it is what was sent.
"""
import argparse
import socket
import sys
import threading


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def tcp(args):
    srv = socket.socket(family(args.addr), socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.addr, args.port))
    srv.listen(1)
    got = [0]

    def serve():
        conn, _ = srv.accept()
        while True:
            data = conn.recv(1 << 16)
            if not data:
                break
            got[0] += len(data)
        conn.close()

    t = threading.Thread(target=serve)
    t.start()
    cli = socket.socket(family(args.addr), socket.SOCK_STREAM)
    if args.src:
        cli.bind((args.src, 0))
    cli.connect((args.addr, args.port))
    chunk = b"v" * min(args.amount, 1 << 16)
    left = args.amount
    while left:
        left -= cli.send(chunk[:left])
    cli.shutdown(socket.SHUT_WR)
    t.join()
    cli.close()
    srv.close()
    print(f"tcp received {got[0]} bytes")
    return got[0] == args.amount


def udp(args):
    rx = socket.socket(family(args.addr), socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 24)
    rx.bind((args.addr, args.port))
    rx.settimeout(5)
    tx = socket.socket(family(args.addr), socket.SOCK_DGRAM)
    if args.src:
        tx.bind((args.src, 0))
    payload = b"u" * args.size
    received = 0
    # Interleave sends and receives so no datagram is dropped for want of
    # socket buffer, which would make the count depend on timing.
    for _ in range(args.amount):
        tx.sendto(payload, (args.addr, args.port))
        if len(rx.recv(65536)) == args.size:
            received += 1
    print(f"udp received {received} datagrams")
    return received == args.amount


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("proto", choices=["tcp", "udp"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("amount", type=int, help="bytes (tcp) or datagrams (udp)")
    p.add_argument("size", type=int, nargs="?", default=64,
                   help="udp payload size")
    p.add_argument("--src")
    args = p.parse_args()
    ok = tcp(args) if args.proto == "tcp" else udp(args)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
