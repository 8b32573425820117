#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Usage: vlo_nfq.py QUEUE VERDICT COUNT

A userspace reinjector, as an IPS in NFQUEUE mode is: binds nfnetlink_queue
QUEUE, prints "ready", then answers COUNT packets with VERDICT (accept,
drop, or repeat: NF_REPEAT with the packet's mark set to 1, so that a rule
"meta mark != 1 queue" lets it pass the second time) and prints
"VERDICT N" for the N it answered. Exits 1 if no packet came for 20 s.

Raw netlink (struct): Debian 12 packages no Python binding of the queue.
"""
import socket
import struct
import sys

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_PACKET_HDR, NFQA_VERDICT_HDR, NFQA_MARK = 1, 2, 3
NFQA_CFG_CMD, NFQA_CFG_PARAMS = 1, 2
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
VERDICTS = {"drop": 0, "accept": 1, "repeat": 4}


def attr(kind, payload):
    pad = (4 - len(payload) % 4) % 4
    return struct.pack("=HH", 4 + len(payload), kind) + payload + b"\0" * pad


def message(kind, queue, attrs, flags=NLM_F_REQUEST):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue))
    body += b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind,
                       flags, 0, 0) + body


def attrs_of(buf):
    out = {}
    while len(buf) >= 4:
        length, kind = struct.unpack_from("=HH", buf)
        if length < 4:
            break
        out[kind & 0x7fff] = buf[4:length]
        buf = buf[(length + 3) & ~3:]
    return out


def messages(data):
    while len(data) >= 16:
        length, kind = struct.unpack_from("=IH", data)
        yield kind, data[16:length]
        data = data[(length + 3) & ~3:]


def config(sock, queue, attrs):
    sock.send(message(NFQNL_MSG_CONFIG, queue, attrs, NLM_F_REQUEST | NLM_F_ACK))
    for kind, payload in messages(sock.recv(65536)):
        if kind == NLMSG_ERROR:
            err = struct.unpack_from("=i", payload)[0]
            if err:
                sys.exit(f"vlo_nfq: binding queue {queue}: error {-err}")


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in VERDICTS:
        sys.exit(__doc__)
    queue, verdict, count = int(sys.argv[1]), VERDICTS[sys.argv[2]], int(sys.argv[3])
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    config(sock, queue, [attr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, 0))])
    config(sock, queue, [attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META))])
    print("ready", flush=True)
    sock.settimeout(20)
    done = 0
    while done < count:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            break
        for kind, payload in messages(data):
            if kind != (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                continue
            hdr = attrs_of(payload[4:]).get(NFQA_PACKET_HDR)
            if hdr is None:
                continue
            packet_id = struct.unpack_from("!I", hdr)[0]
            reply = [attr(NFQA_VERDICT_HDR, struct.pack("!II", verdict, packet_id))]
            if sys.argv[2] == "repeat":
                reply.append(attr(NFQA_MARK, struct.pack("!I", 1)))
            sock.send(message(NFQNL_MSG_VERDICT, queue, reply))
            done += 1
    print(f"{sys.argv[2]} {done}", flush=True)
    return 0 if done == count else 1


if __name__ == "__main__":
    sys.exit(main())
