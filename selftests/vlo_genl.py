#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The "vlo" generic netlink family from Python (pyroute2), for the tests.

  vlo_genl.py addrs [IFINDEX]          dump: one JSON object per address
  vlo_genl.py addrs-totals [IFINDEX]   the same with VLO_A_TOTALS (no split)
  vlo_genl.py zero-addrs-totals [IFINDEX]  a zeroing dump with VLO_A_TOTALS
  vlo_genl.py devs [IFINDEX]           devices (dump, or do with IFINDEX)
  vlo_genl.py zero-addr IFINDEX ADDR   read-and-zero one address
  vlo_genl.py zero-addrs [IFINDEX]     read-and-zero every address (dump)
  vlo_genl.py zero-dev IFINDEX         read-and-zero a device and its addresses
  vlo_genl.py zero-devs                the same for every device (dump)
  vlo_genl.py addrs-err [IFINDEX]      the addrs dump from a raw socket: the
                                       error number and extack message that
                                       end it (or OK), and the messages before
  vlo_genl.py ops [FAMILY]             the family's commands, as a JSON list
  vlo_genl.py raw [d:]HEX...           send one raw message per HEX payload
                                       (genlmsghdr + attributes; d: as a
                                       dump request) and print the error
                                       number and extack message
  vlo_genl.py loop-zero IFINDEX ADDR SECONDS  zero repeatedly; print the sums
  vlo_genl.py count-dump [IFINDEX]     addresses, messages, whether interrupted
  vlo_genl.py serve                    one command per line on stdin (words
                                       split on blanks), each answered on
                                       stdout by "out N err N rc N" and
                                       then the N bytes of its output and
                                       of its errors: the commands above
                                       from one process, whose start-up
                                       costs seconds under the VM's TCG

Each object has ifindex, ifname, and either the device's switches or the
address (family, addr as ip prints it, prefixlens), and "counters": the
VLO_CTR_* names in lower case (in_packets, in_ipv4_tcp_bytes, ...).
Errors: the errno name and the extack message on stderr, exit 1.
"""

import contextlib
import errno
import io
import logging
import ipaddress
import json
import socket
import struct
import sys
import time
import types
from importlib.util import find_spec


def _pyroute2_core():
    """Import pyroute2's netlink core without pyroute2/__init__.py, which
    loads all of pyroute2 (IPRoute, NDB, asyncio, multiprocessing): 5 s per
    run under the VM's TCG, against under 2 s for what this file uses. The
    package is registered as an empty one on its real path; its submodules
    import as usual. Nothing here uses what __init__ would add."""
    spec = find_spec("pyroute2")
    if spec is None or "pyroute2" in sys.modules:
        return
    pkg = types.ModuleType("pyroute2")
    pkg.__path__ = list(spec.submodule_search_locations)
    sys.modules["pyroute2"] = pkg


_pyroute2_core()

from pyroute2.netlink import NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, genlmsg, nla
from pyroute2.netlink.exceptions import NetlinkError
from pyroute2.netlink.generic import (CTRL_CMD_GETFAMILY, GENL_ID_CTRL,
                                      GenericNetlinkSocket)

# 2 was VLO_CMD_SET_DEV, reserved since 0.3.0
CMD_GET_DEV, CMD_ZERO_DEV, CMD_GET_ADDR, CMD_ZERO_ADDR = 1, 3, 4, 5
NLM_F_DUMP_INTR = 0x10


def counter_names():
    names = ["in_packets", "in_bytes", "out_packets", "out_bytes"]
    for d in ("in", "out"):
        for af in ("ipv4", "ipv6"):
            for p in ("icmp", "tcp", "udp", "other"):
                names += [f"{d}_{af}_{p}_packets", f"{d}_{af}_{p}_bytes"]
    return names


COUNTERS = counter_names()


class vlomsg(genlmsg):
    prefix = "VLO_A_"
    nla_map = (
        ("VLO_A_UNSPEC", "none"),
        ("VLO_A_IFINDEX", "uint32"),
        ("VLO_A_IFNAME", "asciiz"),
        ("VLO_A_ACCOUNTING", "uint8"),
        ("VLO_A_CARRY", "uint8"),
        ("VLO_A_NADDRS", "uint32"),
        ("VLO_A_FAMILY", "uint8"),
        ("VLO_A_ADDR", "cdata"),
        ("VLO_A_PREFIXLENS", "plens"),
        ("VLO_A_COUNTERS", "counters"),
        ("VLO_A_TOTALS", "flag"),
    )

    class plens(nla):
        nla_map = (("UNSPEC", "none"), ("PREFIXLEN", "uint8"))

    class counters(nla):
        nla_map = tuple([(0, "UNSPEC", "none"), (1, "PAD", "none")] +
                        [(i + 2, n, "uint64") for i, n in enumerate(COUNTERS)])


class Vlo(GenericNetlinkSocket):
    def __init__(self):
        super().__init__()
        # the kernel's extack message in NetlinkError, not strerror()
        self.setsockopt(270, 11, 1)  # SOL_NETLINK, NETLINK_EXT_ACK
        self.bind("vlo", vlomsg)

    def req(self, cmd, attrs=(), dump=False):
        msg = vlomsg()
        msg["cmd"] = cmd
        msg["version"] = 1
        msg["attrs"] = list(attrs)
        flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else NLM_F_ACK)
        return self.nlm_request(msg, msg_type=self.prid, msg_flags=flags)


def decode(m):
    o = {"ifindex": m.get_attr("VLO_A_IFINDEX"),
         "ifname": m.get_attr("VLO_A_IFNAME")}
    addr = m.get_attr("VLO_A_ADDR")
    if addr is not None:
        fam = m.get_attr("VLO_A_FAMILY")
        o["family"] = "inet" if fam == socket.AF_INET else "inet6"
        o["addr"] = str(ipaddress.ip_address(bytes(addr)))
        o["prefixlens"] = [v for k, v in m.get_attr("VLO_A_PREFIXLENS")["attrs"]
                           if k == "PREFIXLEN"]
    else:
        o["accounting"] = m.get_attr("VLO_A_ACCOUNTING")
        o["carry"] = m.get_attr("VLO_A_CARRY")
        o["naddrs"] = m.get_attr("VLO_A_NADDRS")
    c = m.get_attr("VLO_A_COUNTERS")
    o["counters"] = {k: v for k, v in c["attrs"] if k in COUNTERS}
    return o


def show(msgs):
    for m in msgs:
        print(json.dumps(decode(m), sort_keys=True))


def ifattr(args):
    return [("VLO_A_IFINDEX", int(args[0]))] if args else []


def addrattr(text):
    return ("VLO_A_ADDR", ipaddress.ip_address(text).packed)


def attrs(data, off, end):
    """(type, payload offset, payload length) of each attribute."""
    while off + 4 <= end:
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4:
            break
        yield atype & 0x3fff, off + 4, alen - 4
        off += (alen + 3) & ~3


def extack_msg(data, off, end):
    """The message (NLMSGERR_ATTR_MSG) among the extack attributes."""
    msg = ""
    for atype, aoff, alen in attrs(data, off, end):
        if atype == 1:  # NLMSGERR_ATTR_MSG
            msg = data[aoff:aoff + alen].rstrip(b"\0").decode()
    return msg


def raw_socket():
    """A generic netlink socket with extack on, and the vlo family's id."""
    fam = Vlo()
    family_id = fam.prid
    fam.close()
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    s.setsockopt(270, 11, 1)  # SOL_NETLINK, NETLINK_EXT_ACK
    return s, family_id


def raw(payloads):
    """Raw messages: what pyroute2 would refuse to build."""
    s, family_id = raw_socket()
    for seq, hexs in enumerate(payloads, 1):
        flags = NLM_F_REQUEST | NLM_F_ACK
        if hexs.startswith("d:"):
            flags |= NLM_F_DUMP
            hexs = hexs[2:]
        body = bytes.fromhex(hexs)
        hdr = struct.pack("=IHHII", 16 + len(body), family_id, flags, seq, 0)
        s.send(hdr + body)
        data = s.recv(65536)
        _, typ, flags, _, _ = struct.unpack_from("=IHHII", data)
        err = struct.unpack_from("=i", data, 16)[0] if typ == 2 else 0
        # extack TLVs follow the error and the request echoed
        echoed = 16 if flags & 0x100 else struct.unpack_from("=I", data, 20)[0]
        msg = extack_msg(data, 16 + 4 + ((echoed + 3) & ~3), len(data))
        print(f"{errno.errorcode.get(-err, err) if err else 'OK'} {msg}".rstrip())


def ops(name="vlo"):
    """The commands the loaded family has, from the controller."""
    CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_OPS, CTRL_ATTR_OP_ID = 2, 6, 1
    fam = name.encode() + b"\0"
    body = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0)
    body += struct.pack("=HH", 4 + len(fam), CTRL_ATTR_FAMILY_NAME)
    body += fam + bytes(-len(fam) % 4)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    s.send(struct.pack("=IHHII", 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST, 1, 0) + body)
    data = s.recv(65536)
    s.close()
    found = []
    for t, off, n in attrs(data, 20, len(data)):
        if t == CTRL_ATTR_OPS:
            for _, o2, n2 in attrs(data, off, off + n):
                found += [struct.unpack_from("=I", data, o3)[0]
                          for t3, o3, _ in attrs(data, o2, o2 + n2)
                          if t3 == CTRL_ATTR_OP_ID]
    print(json.dumps(sorted(found), separators=(",", ":")))


def addrs_err(args):
    """A GET_ADDR dump from a raw socket: pyroute2 does not read the extack
    message of an NLMSG_DONE."""
    s, family_id = raw_socket()
    body = struct.pack("=BBH", CMD_GET_ADDR, 1, 0)
    if args:
        body += struct.pack("=HHI", 8, 1, int(args[0]))  # VLO_A_IFINDEX
    s.send(struct.pack("=IHHII", 16 + len(body), family_id,
                       NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + body)
    msgs = 0
    while True:
        data = s.recv(65536)
        off = 0
        while off + 16 <= len(data):
            mlen, typ, flags, _, _ = struct.unpack_from("=IHHII", data, off)
            if typ not in (2, 3):  # NLMSG_ERROR, NLMSG_DONE
                msgs += 1
                off += (mlen + 3) & ~3
                continue
            err = struct.unpack_from("=i", data, off + 16)[0]
            tlv = off + 20
            if typ == 2:  # after the request, echoed whole unless capped
                echoed = 16 if flags & 0x100 else struct.unpack_from("=I", data, off + 20)[0]
                tlv += (echoed + 3) & ~3
            msg = ""
            if flags & 0x200:  # NLM_F_ACK_TLVS
                msg = extack_msg(data, tlv, off + mlen)
            name = errno.errorcode.get(-err, err) if err else "OK"
            print(f"{name} {msg}".rstrip())
            print(f"messages before: {msgs}")
            return 0


def main(argv):
    cmd, args = argv[0], argv[1:]
    if cmd == "raw":
        return raw(args)
    if cmd == "ops":
        return ops(*args)
    if cmd == "addrs-err":
        return addrs_err(args)
    vlo = Vlo()
    try:
        if cmd == "addrs":
            show(vlo.req(CMD_GET_ADDR, ifattr(args), dump=True))
        elif cmd == "addrs-totals":
            show(vlo.req(CMD_GET_ADDR, ifattr(args) + [("VLO_A_TOTALS", True)],
                         dump=True))
        elif cmd == "zero-addrs-totals":
            show(vlo.req(CMD_ZERO_ADDR, ifattr(args) + [("VLO_A_TOTALS", True)],
                         dump=True))
        elif cmd == "devs":
            show(vlo.req(CMD_GET_DEV, ifattr(args), dump=not args))
        elif cmd == "zero-addr":
            show(vlo.req(CMD_ZERO_ADDR, ifattr(args[:1]) + [addrattr(args[1])]))
        elif cmd == "zero-addrs":
            show(vlo.req(CMD_ZERO_ADDR, ifattr(args), dump=True))
        elif cmd == "zero-dev":
            show(vlo.req(CMD_ZERO_DEV, ifattr(args)))
        elif cmd == "zero-devs":
            show(vlo.req(CMD_ZERO_DEV, dump=True))
        elif cmd == "loop-zero":
            # zero until the deadline; print the sum of what was taken
            total = {k: 0 for k in COUNTERS}
            n = 0
            deadline = time.monotonic() + float(args[2])
            while time.monotonic() < deadline:
                for m in vlo.req(CMD_ZERO_ADDR, ifattr(args[:1]) + [addrattr(args[1])]):
                    for k, v in decode(m)["counters"].items():
                        total[k] += v
                n += 1
            print(json.dumps({"zeroes": n, "counters": total}, sort_keys=True))
        elif cmd == "count-dump":
            msgs = vlo.req(CMD_GET_ADDR, ifattr(args), dump=True)
            keys = [(m.get_attr("VLO_A_IFINDEX"), bytes(m.get_attr("VLO_A_ADDR")))
                    for m in msgs]
            intr = any(m["header"]["flags"] & NLM_F_DUMP_INTR for m in msgs)
            print(json.dumps({"addrs": len(keys), "unique": len(set(keys)),
                              "sorted": keys == sorted(keys, key=lambda k: (k[0], len(k[1]), k[1])),
                              "intr": intr}))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except NetlinkError as e:
        print(f"{errno.errorcode.get(e.code, e.code)} {e.args[1] if len(e.args) > 1 else ''}".rstrip(),
              file=sys.stderr)
        return 1
    finally:
        vlo.close()
    return 0


class _Stderr(logging.StreamHandler):
    """A log handler that writes to sys.stderr as it is at the time."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _):
        pass


def serve():
    """main() for each line of stdin, until its end."""
    # pyroute2 logs as logging.error() does when run alone, to each
    # command's own errors
    logging.basicConfig(handlers=[_Stderr()])
    for line in sys.stdin:
        args = line.split()
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(args) if args else 2
            except Exception as e:  # reported as a command's failure
                print(f"{type(e).__name__}: {e}", file=sys.stderr)
                rc = 1
        o, e = out.getvalue().encode(), err.getvalue().encode()
        sys.stdout.buffer.write(b"out %d err %d rc %d\n" % (len(o), len(e), rc or 0) + o + e)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        sys.exit(serve())
    sys.exit(main(sys.argv[1:]) or 0)
