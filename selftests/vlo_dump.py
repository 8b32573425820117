#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Dumps taken one part at a time, with address changes between two parts.

  vlo_dump.py step

Runs in the test's namespace, whose vlo devices hold the addresses. The
socket's receive buffer is the smallest there is, and each part is first
peeked at and only then read: the kernel makes the next part of a dump when
a read leaves the queue empty, so while a part is peeked at, no more of the
dump exists. What changes then can only show in the parts still to come, at
a cursor this script knows: the last address of the part peeked at.

Four dumps, each of the vlo family (GET_ADDR) and of the kernel's own IPv4
addresses (RTM_GETADDR): quiet, then with these changes after the first
part: the device's first address deleted (a position before the cursor
moves), the cursor address and the next one deleted, the next vlo device
deleted. Prints one JSON object: for each dump whether any part was flagged
NLM_F_DUMP_INTR, and for vlo's whether every address that stayed came
exactly once and every key of the dump followed the one before.
"""

import ipaddress
import json
import socket
import struct
import subprocess
import sys

from vlo_genl import CMD_GET_ADDR, NLM_F_DUMP_INTR, Vlo

NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
RTM_GETADDR = 22
NETLINK_GENERIC = 16
VLO_A_IFINDEX, VLO_A_IFNAME, VLO_A_ADDR = 1, 2, 7
IFA_ADDRESS, IFA_LOCAL, IFA_LABEL = 1, 2, 3
SOL_NETLINK, NETLINK_EXT_ACK = 270, 11


def attrs(data, off, end):
    """The attributes of one message: {type: payload}."""
    out = {}
    while off + 4 <= end:
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4:
            break
        out[atype & 0x3fff] = data[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


def vlo_entry(data, off, end):
    a = attrs(data, off + 4, end)  # after the genlmsghdr
    return (struct.unpack("=I", a[VLO_A_IFINDEX])[0], bytes(a[VLO_A_ADDR]),
            a[VLO_A_IFNAME].rstrip(b"\0").decode())


def rtnl_entry(data, off, end):
    index = struct.unpack_from("=I", data, off + 4)[0]
    a = attrs(data, off + 8, end)  # after the ifaddrmsg
    return (index, bytes(a.get(IFA_LOCAL, a.get(IFA_ADDRESS))),
            a.get(IFA_LABEL, b"").rstrip(b"\0").decode())


def step_dump(proto, request, entry, change=None):
    """Entries in dump order and whether any part was flagged interrupted;
    change(cursor entry) runs once the first part is known."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    s.send(request)
    entries, intr, parts = [], False, 0
    while True:
        part = s.recv(65536, socket.MSG_PEEK)
        parts += 1
        if parts == 1 and change:
            last = None
            off = 0
            while off < len(part):
                mlen, mtype = struct.unpack_from("=IH", part, off)
                if mtype >= 16:
                    last = entry(part, off + 16, off + mlen)
                off += (mlen + 3) & ~3
            change(last)
        s.recv(65536)
        off = 0
        while off < len(part):
            mlen, mtype, mflags = struct.unpack_from("=IHH", part, off)
            intr |= bool(mflags & NLM_F_DUMP_INTR)
            if mtype == NLMSG_ERROR:
                raise OSError(-struct.unpack_from("=i", part, off + 16)[0],
                              "dump refused")
            if mtype == NLMSG_DONE:
                s.close()
                return entries, intr, parts
            entries.append(entry(part, off + 16, off + mlen))
            off += (mlen + 3) & ~3


def ip_batch(lines):
    subprocess.run(["ip", "-force", "-batch", "-"], input="\n".join(lines),
                   text=True, check=False, stderr=subprocess.DEVNULL)


def changes(cursor, devs, by_dev):
    """Deletes around @cursor; returns the keys that are no longer stable."""
    ifindex, addr, ifname = cursor
    first = by_dev[ifindex][0]
    nxt = ipaddress.ip_address(addr) + 1
    later = [i for i in sorted(devs) if i > ifindex][:1]
    gone = {(ifindex, first), (ifindex, addr), (ifindex, nxt.packed)}
    lines = [f"addr del {ipaddress.ip_address(first)}/32 dev {ifname}",
             f"addr del {ipaddress.ip_address(addr)}/32 dev {ifname}",
             f"addr del {nxt}/32 dev {ifname}"]
    for i in later:
        lines.append(f"link del {devs[i]}")
        gone |= {(i, a) for a in by_dev[i]}
    ip_batch(lines)
    return gone


def main(argv):
    if argv != ["step"]:
        print(__doc__, file=sys.stderr)
        return 2
    fam = Vlo()
    family_id = fam.prid
    fam.close()
    genl = struct.pack("=BBH", CMD_GET_ADDR, 1, 0)
    vlo_req = struct.pack("=IHHII", 16 + len(genl), family_id,
                          NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + genl
    ifa = struct.pack("=BBBBI", socket.AF_INET, 0, 0, 0, 0)
    rtnl_req = struct.pack("=IHHII", 16 + len(ifa), RTM_GETADDR,
                           NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + ifa
    out = {}

    def keys(entries):
        return [(i, a) for i, a, _ in entries]

    def in_order(k):
        return all(a < b for a, b in zip(k, k[1:]))

    quiet, out["vlo_quiet_intr"], out["vlo_quiet_parts"] = step_dump(
        NETLINK_GENERIC, vlo_req, vlo_entry)
    devs = {i: n for i, _, n in quiet}
    by_dev = {}
    for i, a, _ in quiet:
        by_dev.setdefault(i, []).append(a)
    k = keys(quiet)
    out["vlo_quiet_once_in_order"] = in_order(k)
    kern, out["rtnl_quiet_intr"], _ = step_dump(
        socket.NETLINK_ROUTE, rtnl_req, rtnl_entry)
    out["rtnl_quiet_same_set"] = sorted(x for x in keys(kern) if x[0] in devs) == k

    gone = set()

    def change(cursor):
        gone.update(changes(cursor, devs, by_dev))

    moved, out["vlo_changed_intr"], _ = step_dump(
        NETLINK_GENERIC, vlo_req, vlo_entry, change)
    km = keys(moved)
    stable = [x for x in k if x not in gone]
    out["vlo_changed_gone"] = len(gone)
    out["vlo_changed_stable_once"] = sorted(x for x in km if x not in gone) == stable
    out["vlo_changed_in_order"] = in_order(km)

    # the kernel's dump, changed the same way at its own first cursor
    rest = {i: n for i, _, n in moved}
    by_dev = {}
    for i, a, _ in moved:
        by_dev.setdefault(i, []).append(a)
    devs = rest
    _, out["rtnl_changed_intr"], _ = step_dump(
        socket.NETLINK_ROUTE, rtnl_req, rtnl_entry, change)
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
