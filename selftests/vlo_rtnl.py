#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one RTM_NEWLINK that changes an existing link, with IFLA_LINKINFO
{IFLA_INFO_KIND KIND, IFLA_INFO_DATA {ATTR...}}, over a raw socket (ip and
pyroute2 only send what they consider valid). Each ATTR is TYPE:SIZE:VALUE
(SIZE 1, 2, 4 or 8 bytes). Prints the errno name, or "ok", then the extack
message if the kernel sent one.

    vlo_rtnl.py vlo0 vlo 1:1:2      accounting (1) = 2, a u8
    vlo_rtnl.py vlo0 vlo 99:1:0     attribute 99
"""
import errno
import socket
import struct
import sys

NETLINK_ROUTE, SOL_NETLINK, NETLINK_EXT_ACK = 0, 270, 11
RTM_NEWLINK, NLM_F_REQUEST, NLM_F_ACK, NLM_F_ACK_TLVS = 16, 1, 4, 0x200
IFLA_IFNAME, IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA = 3, 18, 1, 2
NLMSGERR_ATTR_MSG = 1
SIZES = {1: "B", 2: "H", 4: "I", 8: "Q"}


def rta(kind, payload):
    """One netlink attribute, padded to 4 bytes."""
    head = struct.pack("HH", 4 + len(payload), kind)
    return head + payload + bytes(-len(payload) % 4)


def extack(reply):
    """The extack message in an NLMSG_ERROR reply, or ""."""
    if not struct.unpack_from("H", reply, 6)[0] & NLM_F_ACK_TLVS:
        return ""
    off = 20 + struct.unpack_from("I", reply, 20)[0]  # past the echoed request
    while off + 4 <= len(reply):
        alen, kind = struct.unpack_from("HH", reply, off)
        if alen < 4:
            break
        if kind == NLMSGERR_ATTR_MSG:
            return reply[off + 4:off + alen].rstrip(b"\0").decode()
        off += (alen + 3) & ~3
    return ""


def main():
    dev, kind = sys.argv[1:3]
    data = b""
    for spec in sys.argv[3:]:
        kind_nr, size, value = (int(x, 0) for x in spec.split(":"))
        data += rta(kind_nr, struct.pack(SIZES[size], value))
    info = rta(IFLA_INFO_KIND, kind.encode()) + rta(IFLA_INFO_DATA, data)
    body = struct.pack("BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)
    body += rta(IFLA_IFNAME, dev.encode() + b"\0") + rta(IFLA_LINKINFO, info)
    head = struct.pack("IHHII", 16 + len(body), RTM_NEWLINK,
                       NLM_F_REQUEST | NLM_F_ACK, 1, 0)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE) as s:
        s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        s.send(head + body)
        reply = s.recv(65536)
    err = -struct.unpack_from("i", reply, 16)[0]
    print(f"{errno.errorcode.get(err, 'ok')} {extack(reply)}".rstrip())


if __name__ == "__main__":
    main()
