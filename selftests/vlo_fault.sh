#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Allocation failures (failslab + fail_page_alloc) injected into each
# allocation in turn, in the test's own task only (/proc/thread-self/fail-nth,
# the kernel's per-task sweep; failslab's task-filter keeps everyone else
# out): creating a device over rtnetlink, adding addresses, switching carry
# on (sysfs, as the namespace's first carry device, whose routes come with
# the carry hooks; rtnetlink, as a second one), bringing a carry device up,
# changing its MTU across 1280 (its routes are made again), adding a
# namespace's first vlo address (it registers the accounting hooks), the
# genl family's address dump and read-and-zero, creating a network namespace
# while the module is loaded (vlo's pernet init: the two address tables;
# no hooks until an address comes) and loading the module with numdevs=4.
# Each failure must be a clean error with nothing half-created (no setting
# changed, no hook left registered, no route holding a device), each
# absorbed failure must leave a working result (pings cross the carry
# device, counters equal the pings sent, a genl answer is exact), the module
# must unload at the end, and the kmemleak scan after the run
# (tools/vm/guest-init) must find nothing. Whether hooks are registered is
# seen through kprobes on the hook functions, not taken from vlo.
# Needs a kernel with CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC (the debug
# kernel, tools/debug-kernel); skips elsewhere.
#
# VLO_FAULT_STRIDE=N tries every Nth allocation of the long sweeps (module
# load, netns creation); VLO_STRESS_SCALE>=10 (make stress) tries all. A new
# namespace's first address tries every allocation: with every 4th, the
# IPv6 sweep missed those of the hook registration it exists to test.

source "$(dirname "$0")/lib.sh"

FS=/sys/kernel/debug/failslab
FP=/sys/kernel/debug/fail_page_alloc
[ -d /sys/kernel/debug/failslab ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
[ -d "$FS" ] || skip "no $FS: the kernel lacks CONFIG_FAILSLAB (use the debug kernel)"
[ -d "$FP" ] || skip "no $FP: the kernel lacks CONFIG_FAIL_PAGE_ALLOC"
[ -e /proc/thread-self/fail-nth ] || skip "no /proc/thread-self/fail-nth"
[ -e "$VLO_KO" ] || skip "$VLO_KO not built (make module)"
require_cmd python3

SCALE=${VLO_STRESS_SCALE:-1}
if [ "$SCALE" -ge 10 ]; then STRIDE=${VLO_FAULT_STRIDE:-1}; else STRIDE=${VLO_FAULT_STRIDE:-4}; fi

# Every allocation may fail, sleeping or not, of any order; nothing random
# (probability 0: only fail-nth injects) and quiet (a stack dump per fault
# would flood the log).
fi_saved=()
fi_set() { # DIR FILE VALUE
	fi_saved+=("$1/$2=$(cat "$1/$2")")
	echo "$3" >"$1/$2"
}
# shellcheck disable=SC2317 # called by the trap
fi_restore() {
	local s
	for s in "${fi_saved[@]}"; do
		echo "${s#*=}" >"${s%%=*}" 2>/dev/null || true
	done
}
for d in $FS $FP; do
	fi_set "$d" probability 0
	fi_set "$d" task-filter Y
	fi_set "$d" ignore-gfp-wait N
	fi_set "$d" verbose 0
done
fi_set "$FP" ignore-gfp-highmem N
fi_set "$FP" min-order 0
trap 'rc=$?; fi_restore; (exit $rc); _cleanup' EXIT

# The sweeper: one process, so that fail-nth counts only the kernel work of
# the operation itself (an exec would spend the count on its own
# allocations). Prints one "result" line per attempt and a summary.
sweeper=$(mktemp /tmp/vlo_fault.XXXXXX.py)
cat >"$sweeper" <<'EOF'
import ctypes, errno, os, socket, struct, sys, time

libc = ctypes.CDLL(None, use_errno=True)
NTH = "/proc/thread-self/fail-nth"
RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_NEWADDR = 16, 17, 18, 20
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
IFLA_IFNAME, IFLA_MTU, IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA = 3, 4, 18, 1, 2
IFLA_VLO_CARRY, IFF_UP = 2, 1
IFA_LOCAL, IFA_ADDRESS = 2, 1
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLM_F_ACK_TLVS, NLMSGERR_ATTR_MSG = 0x200, 1
CLONE_NEWNET, CLONE_NEWNS = 0x40000000, 0x20000
MS_REC, MS_PRIVATE, MNT_DETACH = 0x4000, 0x40000, 2
SYS_finit_module, SYS_delete_module = 313, 176


# Opened once: opening it after arming would spend (or fail) the count.
nth_fd = os.open(NTH, os.O_RDWR)


def nth_arm(n):
    os.pwrite(nth_fd, str(n).encode(), 0)


def nth_left():
    """What is left of the count (0: the fault was injected); disarms."""
    left = int(os.pread(nth_fd, 32, 0))
    os.pwrite(nth_fd, b"0", 0)
    return left


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


class Rtnl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
        self.s.settimeout(10)
        # extended acks (the extack message), without the request echoed
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.seq = 0
        self.msg = ""

    @staticmethod
    def extack_msg(data):
        """NLMSGERR_ATTR_MSG of an NLMSG_ERROR (capped ack), or ''."""
        _, _, flags, _, _ = struct.unpack_from("IHHII", data)
        if not flags & NLM_F_ACK_TLVS:
            return ""
        off = 16 + 4 + 16
        while off + 4 <= len(data):
            n, t = struct.unpack_from("HH", data, off)
            if n < 4:
                break
            if t == NLMSGERR_ATTR_MSG:
                return data[off + 4:off + n].split(b"\0")[0].decode()
            off += (n + 3) & ~3
        return ""

    def req(self, typ, flags, body):
        self.seq += 1
        self.msg = ""
        msg = struct.pack("IHHII", 16 + len(body), typ, flags | NLM_F_REQUEST, self.seq, 0) + body
        try:
            self.s.send(msg)
            while True:
                data = self.s.recv(65536)
                _, t, _, seq, _ = struct.unpack_from("IHHII", data)
                if t == 2 and seq == self.seq:  # NLMSG_ERROR
                    self.msg = self.extack_msg(data)
                    return -struct.unpack_from("i", data, 16)[0]
                if seq == self.seq and t != 2 and not flags & NLM_F_ACK:
                    return 0
        except socket.timeout:
            return "timeout"
        except OSError as e:
            return e.errno

    def link_add(self, name):
        li = attr(IFLA_LINKINFO, attr(IFLA_INFO_KIND, b"vlo"))
        body = struct.pack("BxHiII", 0, 0, 0, 0, 0) + attr(IFLA_IFNAME, name.encode() + b"\0") + li
        return self.req(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, body)

    def link_del(self, ifindex):
        return self.req(RTM_DELLINK, NLM_F_ACK, struct.pack("BxHiII", 0, 0, ifindex, 0, 0))

    def addr_add(self, ifindex, addr):
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        raw = socket.inet_pton(fam, addr)
        plen = 128 if fam == socket.AF_INET6 else 32
        body = struct.pack("BBBBI", fam, plen, 0x80 if fam == socket.AF_INET6 else 0, 0, ifindex)
        body += attr(IFA_LOCAL, raw) + attr(IFA_ADDRESS, raw)
        return self.req(RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, body)


def ifindex(name):
    try:
        return socket.if_nametoindex(name)
    except OSError:
        return 0


def vlo_devices():
    return sorted(d for d in os.listdir("/sys/class/net")
                  if os.path.isdir(f"/sys/class/net/{d}/vlo"))


stats = {"injected-and-refused": 0, "injected-and-absorbed": 0}
if sys.argv[1] in ("addr", "acct-first"):
    stats["in-place-but-unreachable"] = 0
vlo_refused = {}
errors = {}
bad = []


def note(n, what, rc, left):
    if left != 0:
        return
    if rc == 0:
        stats["injected-and-absorbed"] += 1
    else:
        stats["injected-and-refused"] += 1
        errors[rc] = errors.get(rc, 0) + 1


def errname(e):
    return e if isinstance(e, str) else errno.errorcode.get(e, str(e))


def sweep_link():
    """ip link add NAME type vlo, failing each allocation in turn."""
    nl = Rtnl()
    n = 0
    while True:
        n += 1
        nth_arm(n)
        rc = nl.link_add("vlof")
        left = nth_left()
        idx = ifindex("vlof")
        if rc in ("timeout", errno.ENOBUFS):
            # the ack itself failed to allocate: the device may or may not
            # exist, but never half (checked below)
            pass
        elif rc != 0 and idx:
            bad.append(f"n={n}: refused with {errname(rc)} but vlof exists")
        elif rc == 0 and not idx:
            bad.append(f"n={n}: accepted but no vlof")
        note(n, "link", rc, left)
        if idx:
            if not os.path.isdir("/sys/class/net/vlof/vlo"):
                bad.append(f"n={n}: vlof exists without its vlo sysfs group")
            if nl.link_del(idx) != 0:
                bad.append(f"n={n}: cannot delete vlof")
        if left != 0:
            return n - 1
        if n > 100000:
            bad.append("link sweep never ended")
            return n


def count_calls(op):
    nth_arm(1 << 30)
    rc = op()
    return rc, (1 << 30) - nth_left()


def sweep_window(name, op, undo, check_fail, stride, window):
    """Fail call n for n in the last `window` calls of op, every `stride`."""
    rc, total = count_calls(op)
    if rc != 0:
        bad.append(f"{name}: fails without any fault injected: {errname(rc)}")
        return 0
    undo()
    lo = max(1, total - window + 1) if window else 1
    tried = 0
    for n in range(total + 2, lo - 1, -stride):
        nth_arm(n)
        rc = op()
        left = nth_left()
        tried += 1
        note(n, name, rc, left)
        if rc == 0:
            undo()
        else:
            check_fail(n, rc)
    print(f"# {name}: {total} allocation calls; tried {tried} (n={lo}..{total + 2}, stride {stride})")
    return tried


def sweep_load(ko, stride, window):
    fd = os.open(ko, os.O_RDONLY)

    def load():
        if libc.syscall(SYS_finit_module, fd, b"numdevs=4", 0) == 0:
            return 0
        return ctypes.get_errno()

    def unload():
        devs = vlo_devices()
        if devs != ["vlo0", "vlo1", "vlo2", "vlo3"]:
            bad.append(f"load accepted but devices are {devs}")
        if libc.syscall(SYS_delete_module, b"vlo", os.O_NONBLOCK) != 0:
            bad.append(f"cannot unload after a load: {errname(ctypes.get_errno())}")

    def check(n, rc):
        if os.path.exists("/sys/module/vlo"):
            bad.append(f"n={n}: load refused with {errname(rc)} but /sys/module/vlo exists")
        if vlo_devices():
            bad.append(f"n={n}: load refused with {errname(rc)} but devices {vlo_devices()} exist")

    return sweep_window("module load (numdevs=4)", load, unload, check, stride, window)


def sweep_netns(stride, window):
    def unshare():
        if libc.unshare(CLONE_NEWNET) == 0:
            return 0
        return ctypes.get_errno()

    def nothing():
        pass

    def check(n, rc):
        pass

    return sweep_window("netns creation", unshare, nothing, check, stride, window)


def sweep_addr(dev, addrs):
    """Add each address with each allocation failing in turn."""
    nl = Rtnl()
    idx = ifindex(dev)
    res = []
    for a in addrs:
        n = 0
        while True:
            n += 1
            nth_arm(n)
            rc = nl.addr_add(idx, a)
            left = nth_left()
            note(n, "addr", rc, left)
            if rc == 0:
                # keep it only if a fault was absorbed; the caller checks it
                res.append(f"{a} {n} {'absorbed' if left == 0 else 'clean'}")
                # An address in place counts what reaches it: 2 in for a
                # ping. IPv4 ignores a failure to add the local route, which
                # leaves an address nothing can reach: then 0.
                cnt = f"/sys/class/net/{dev}/vlo/in_packets"
                before = int(open(cnt).read())
                answered = os.system(f"ping -c 1 -W 5 -q {a} >/dev/null 2>&1") == 0
                if not answered:
                    stats["in-place-but-unreachable"] += 1
                got, want = int(open(cnt).read()) - before, 2 if answered else 0
                if got != want:
                    bad.append(f"{a} n={n}: ping {'answered' if answered else 'failed'}, "
                               f"counted {got} in (want {want})")
                if left != 0:
                    break
                # remove it again (no fault) and go on with the next n
                os.system(f"ip addr del {a}/{128 if ':' in a else 32} dev {dev}")
            elif rc in ("timeout", errno.ENOBUFS):
                # the ack failed to allocate; the address may be in place
                os.system(f"ip addr del {a}/{128 if ':' in a else 32} dev {dev} 2>/dev/null")
            elif os.popen(f"ip -br addr show dev {dev} to {a}").read().strip():
                bad.append(f"{a} n={n}: refused with {errname(rc)} but present")
            if rc != 0 and nl.msg.startswith("vlo:"):
                vlo_refused[f"{errname(rc)}: {nl.msg}"] = vlo_refused.get(f"{errname(rc)}: {nl.msg}", 0) + 1
            if n > 100000:
                break
    return res


# --- observing what vlo registered, without taking its word for it ------------

KPROF = "/sys/kernel/tracing/kprobe_profile"


def probe_hits(names):
    """Calls of the kprobes @names so far (set up by the shell)."""
    s = 0
    with open(KPROF) as f:
        for line in f:
            w = line.split()
            if w and w[0] in names:
                s += int(w[1])
    return s


# The debug kernel has no kprobe events: there the sweeps cannot see the
# hooks, and say so.
PROBES = os.path.exists(KPROF) and any(line.startswith("vlo_fault_") for line in open(KPROF))


def hooks_run(names):
    """Whether hooks counted by @names run for a packet sent now (False
    where they cannot be seen)."""
    if not PROBES:
        return False
    h = probe_hits(names)
    for fam, dst in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        with socket.socket(fam, socket.SOCK_DGRAM) as s:
            s.sendto(b"x", (dst, 9))
    return probe_hits(names) != h


def hooks_gone(names, secs=20):
    """Waits until the hooks of @names no longer run (a work item removes
    the accounting hooks); False if they still do after @secs."""
    end = time.monotonic() + secs
    while hooks_run(names):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


ACCT_PROBES = ("vlo_fault_a4", "vlo_fault_a6")
CARRY_PROBES = ("vlo_fault_c4", "vlo_fault_c6")


def rx_frames(dev):
    with open(f"/sys/class/net/{dev}/statistics/rx_packets") as f:
        return int(f.read())


def pinged(addr):
    return os.system(f"ping -c 1 -W 5 -q {addr} >/dev/null 2>&1") == 0


def crosses(dev, addr):
    """How many frames a ping of @addr moved on @dev's receive side, or
    None if nothing answered."""
    before = rx_frames(dev)
    if not pinged(addr):
        return None
    return rx_frames(dev) - before


def sysfs_read(dev, name):
    with open(f"/sys/class/net/{dev}/vlo/{name}") as f:
        return f.read().strip()


def sysfs_write(dev, name, val):
    with open(f"/sys/class/net/{dev}/vlo/{name}", "w") as f:
        f.write(val)


# --- carry --------------------------------------------------------------------

def sweep_until_clean(name, op, check, limit=20000, stride=1):
    """Runs op with allocation n failing, n = 1, 1 + stride, ... until op
    ran without a fault; check(n, rc, left) after each."""
    n = 1 - stride
    while n < limit:
        n += stride
        nth_arm(n)
        rc = op()
        left = nth_left()
        note(n, name, rc, left)
        check(n, rc, left)
        if left != 0:
            break
    else:
        bad.append(f"{name}: never ran clean in {limit} tries")
    print(f"# {name}: {n - 1} allocation calls or fewer, 1 in {stride} failed in turn")


def carry_check(name, dev, addrs, first):
    """After an attempt to make @dev carry: refused leaves carry off (0, no
    carry hooks if @dev would have been the first, pings on the lo path);
    accepted carries every ping across @dev, exactly 2 frames each."""

    def check(n, rc, on):
        if not on:
            if sysfs_read(dev, "carry") != "0":
                bad.append(f"{name} n={n}: refused with {errname(rc)} but carry reads "
                           f"{sysfs_read(dev, 'carry')}")
            if first and hooks_run(CARRY_PROBES):
                bad.append(f"{name} n={n}: refused with {errname(rc)} but carry hooks run")
        for a in addrs:
            got = crosses(dev, a)
            want = 2 if on else 0
            if got != want:
                bad.append(f"{name} n={n} ({'on' if on else 'refused: ' + errname(rc)}): "
                           f"ping {a} moved {dev} rx by {got} (want {want})")
    return check


def carry_off(dev, first):
    sysfs_write(dev, "carry", "0")
    if first and not hooks_gone(CARRY_PROBES, 1):
        bad.append(f"carry off on {dev}: carry hooks still run")


def sweep_carry_sysfs(dev, addrs, first):
    fd = os.open(f"/sys/class/net/{dev}/vlo/carry", os.O_WRONLY)

    def op():
        try:
            os.pwrite(fd, b"1", 0)
            return 0
        except OSError as e:
            return e.errno

    chk = carry_check("carry on (sysfs)", dev, addrs, first)

    def check(n, rc, left):
        chk(n, rc, rc == 0)
        if rc == 0:
            carry_off(dev, first)

    sweep_until_clean("carry on (sysfs)", op, check)
    os.close(fd)


def sweep_carry_rtnl(dev, addrs, first):
    nl = Rtnl()
    idx = ifindex(dev)
    # ip link set DEV type vlo carry on
    data = attr(IFLA_INFO_DATA, attr(IFLA_VLO_CARRY, b"\1"))
    li = attr(IFLA_LINKINFO, attr(IFLA_INFO_KIND, b"vlo") + data)
    body = struct.pack("BxHiII", 0, 0, idx, 0, 0) + li
    chk = carry_check("carry on (rtnetlink)", dev, addrs, first)

    def check(n, rc, left):
        if rc in ("timeout", errno.ENOBUFS):
            rc = 0 if sysfs_read(dev, "carry") == "1" else rc
        chk(n, rc, rc == 0)
        if rc == 0:
            carry_off(dev, first)

    sweep_until_clean("carry on (rtnetlink)", lambda: nl.req(RTM_NEWLINK, NLM_F_ACK, body), check)


def link_flags(dev):
    with open(f"/sys/class/net/{dev}/flags") as f:
        return int(f.read(), 16)


def sweep_carry_up(dev, addrs, first):
    """ip link set DEV up with carry on: the routes are made on the way up."""
    nl = Rtnl()
    idx = ifindex(dev)
    up = struct.pack("BxHiII", 0, 0, idx, IFF_UP, IFF_UP)
    down = struct.pack("BxHiII", 0, 0, idx, 0, IFF_UP)
    name = "link up with carry on"

    def check(n, rc, left):
        is_up = bool(link_flags(dev) & IFF_UP)
        if rc in ("timeout", errno.ENOBUFS):
            rc = 0 if is_up else rc
        if rc != 0 and is_up:
            bad.append(f"{name} n={n}: refused with {errname(rc)} but {dev} is up")
        if rc != 0 and first and hooks_run(CARRY_PROBES):
            bad.append(f"{name} n={n}: refused with {errname(rc)} but carry hooks run")
        if rc == 0:
            for a in addrs:
                if ":" in a:
                    # IPv6 addresses leave a device that goes down
                    os.system(f"ip addr replace {a}/128 dev {dev} nodad")
                got = crosses(dev, a)
                if got != 2:
                    bad.append(f"{name} n={n}: up, but ping {a} moved {dev} rx by {got} (want 2)")
            if nl.req(RTM_NEWLINK, NLM_F_ACK, down) != 0:
                bad.append(f"{name} n={n}: cannot set {dev} down again")
            if first and not hooks_gone(CARRY_PROBES, 1):
                bad.append(f"{name} n={n}: {dev} down, but carry hooks still run")

    sweep_until_clean(name, lambda: nl.req(RTM_NEWLINK, NLM_F_ACK, up), check)


def sweep_carry_mtu(dev, addrs, mtus):
    """A new MTU with carry on, from mtus[0] to mtus[1]: across 1280 the
    device's IPv6 state goes or comes, and its routes are made again."""
    nl = Rtnl()
    idx = ifindex(dev)
    name = f"MTU {mtus[0]} -> {mtus[1]} with carry on"

    def set_mtu(m):
        return nl.req(RTM_NEWLINK, NLM_F_ACK, struct.pack("BxHiII", 0, 0, idx, 0, 0) +
                      attr(IFLA_MTU, struct.pack("I", m)))

    def cur_mtu():
        with open(f"/sys/class/net/{dev}/mtu") as f:
            return int(f.read())

    def check(n, rc, left):
        cur = cur_mtu()
        if rc in ("timeout", errno.ENOBUFS):
            rc = 0 if cur == mtus[1] else rc
        if rc != 0 and cur != mtus[0]:
            bad.append(f"{name} n={n}: refused with {errname(rc)} but the MTU is {cur}")
        if rc == 0 and cur != mtus[1]:
            bad.append(f"{name} n={n}: accepted but the MTU is {cur}")
        # whatever happened, carry is on and every ping crosses the device
        for a in addrs:
            got = crosses(dev, a)
            if got != 2:
                bad.append(f"{name} n={n} (MTU {cur}, {errname(rc) if rc else 'accepted'}): "
                           f"ping {a} moved {dev} rx by {got} (want 2)")
        if cur != mtus[0] and set_mtu(mtus[0]) != 0:
            bad.append(f"{name} n={n}: cannot set the MTU back to {mtus[0]}")

    if set_mtu(mtus[0]) != 0:
        bad.append(f"{name}: cannot set the MTU to {mtus[0]}")
        return
    sweep_until_clean(name, lambda: set_mtu(mtus[1]), check)


# --- accounting: the hooks come with a namespace's first vlo address ----------

def sweep_acct_first(addr):
    """Adds @addr as the first vlo address of a new namespace, each
    allocation failing in turn: every attempt in a namespace of its own, so
    that every one registers the accounting hooks."""
    name = f"first address {addr}"
    plen = 128 if ":" in addr else 32
    dev = "vlog"
    cnt = f"/sys/class/net/{dev}/vlo/"
    st = {}

    def fresh():
        """A new namespace with lo and vlog up, vlog without addresses."""
        if libc.unshare(CLONE_NEWNET) != 0:
            bad.append(f"{name}: unshare: {errname(ctypes.get_errno())}")
            return False
        # /sys shows the namespace it was mounted in: mount it anew, as
        # ip netns exec does
        libc.umount2(b"/sys", MNT_DETACH)
        if libc.mount(b"sysfs", b"/sys", b"sysfs", 0, None) != 0:
            bad.append(f"{name}: mount /sys: {errname(ctypes.get_errno())}")
            return False
        st["nl"] = Rtnl()
        if st["nl"].link_add(dev) != 0:
            bad.append(f"{name}: cannot create {dev}")
            return False
        st["idx"] = ifindex(dev)
        for i in (1, st["idx"]):
            if st["nl"].req(RTM_NEWLINK, NLM_F_ACK,
                            struct.pack("BxHiII", 0, 0, i, IFF_UP, IFF_UP)) != 0:
                bad.append(f"{name}: cannot set ifindex {i} up")
                return False
        if hooks_run(ACCT_PROBES):
            bad.append(f"{name}: accounting hooks run in a namespace without vlo addresses")
        return True

    def op():
        return st["nl"].addr_add(st["idx"], addr)

    def present():
        return bool(os.popen(f"ip -br addr show dev {dev} to {addr}").read().strip())

    def check(n, rc, left):
        nl = st["nl"]
        if rc in ("timeout", errno.ENOBUFS):
            rc = 0 if present() else rc
        if rc != 0:
            if present():
                bad.append(f"{name} n={n}: refused with {errname(rc)} but present")
            if nl.msg.startswith("vlo:"):
                k = f"{errname(rc)}: {nl.msg}"
                vlo_refused[k] = vlo_refused.get(k, 0) + 1
        else:
            before = [int(open(cnt + c).read()) for c in ("in_packets", "out_packets")]
            answered = pinged(addr)
            if not answered:
                # IPv4 ignores a failure to add the local route
                stats["in-place-but-unreachable"] += 1
            got = [int(open(cnt + c).read()) - b
                   for c, b in zip(("in_packets", "out_packets"), before)]
            want = [2, 2] if answered else [0, 0]
            if got != want:
                bad.append(f"{name} n={n}: ping {'answered' if answered else 'failed'}, "
                           f"counted in/out {got} (want {want})")
            os.system(f"ip addr del {addr}/{plen} dev {dev}")
        # refused or removed: the hooks go (a work item unregisters them)
        if not hooks_gone(ACCT_PROBES):
            bad.append(f"{name} n={n}: no vlo address left, but the accounting hooks still run")
        if left == 0:
            fresh()

    # a mount namespace of its own, for its own /sys
    if libc.unshare(CLONE_NEWNS) != 0 or \
            libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        bad.append(f"{name}: cannot make a mount namespace: {errname(ctypes.get_errno())}")
        return
    if fresh():
        # a namespace per attempt is slow on the debug kernel: every STRIDE-th
        sweep_until_clean(name, op, check, stride=int(os.environ.get("VLO_FAULT_STRIDE_NS", "1")))


# --- the genl family -------------------------------------------------------------

GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 0x10, 3, 1, 2
NLM_F_DUMP, NLMSG_ERROR, NLMSG_DONE = 0x300, 2, 3
VLO_CMD_GET_ADDR, VLO_CMD_ZERO_ADDR = 4, 5
VLO_A_IFINDEX, VLO_A_ADDR, VLO_A_COUNTERS, VLO_A_TOTALS = 1, 7, 9, 10
VLO_CTR_IN_PACKETS, VLO_CTR_OUT_PACKETS = 2, 4


def attrs(data, off, end):
    out = {}
    while off + 4 <= end:
        n, t = struct.unpack_from("HH", data, off)
        if n < 4:
            break
        out[t & 0x3fff] = data[off + 4:off + n]
        off += (n + 3) & ~3
    return out


class Genl(Rtnl):
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)  # NETLINK_GENERIC
        self.s.settimeout(10)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.seq = 0
        self.msg = ""
        self.buf = bytearray(b"\1" * 65536)
        self.family = self.resolve()

    def resolve(self):
        body = struct.pack("BBH", CTRL_CMD_GETFAMILY, 1, 0) + attr(CTRL_ATTR_FAMILY_NAME, b"vlo\0")
        self.seq += 1
        self.s.send(struct.pack("IHHII", 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST, self.seq, 0) + body)
        data = self.s.recv(65536)
        a = attrs(data, 20, struct.unpack_from("I", data)[0])
        return struct.unpack("H", a[CTRL_ATTR_FAMILY_ID][:2])[0]

    def call(self, cmd, flags, payload):
        """Sends one request; returns (error, [attribute dicts of the
        replies]). error: 0, an errno, or "timeout". ENOBUFS says that a
        message was lost (the ack, when its allocation failed) and comes
        before what was queued: the replies are still read after it."""
        self.seq += 1
        self.msg = ""
        body = struct.pack("BBH", cmd, 1, 0) + payload
        msgs = []
        lost = False
        try:
            self.s.send(struct.pack("IHHII", 16 + len(body), self.family,
                                    flags | NLM_F_REQUEST, self.seq, 0) + body)
            while True:
                # into a buffer already touched: a page fault in the
                # copy to user space would spend (or fail) the count
                try:
                    got = self.s.recv_into(self.buf)
                except OSError as e:
                    if e.errno != errno.ENOBUFS or lost:
                        raise
                    lost = True
                    self.s.settimeout(1)
                    continue
                data = bytes(self.buf[:got])
                off = 0
                while off + 16 <= len(data):
                    ln, t, _, seq, _ = struct.unpack_from("IHHII", data, off)
                    if seq == self.seq:
                        if t == NLMSG_ERROR:
                            self.msg = self.extack_msg(data[off:off + ln])
                            return -struct.unpack_from("i", data, off + 16)[0], msgs
                        if t == NLMSG_DONE:
                            return -struct.unpack_from("i", data, off + 16)[0], msgs
                        msgs.append(attrs(data, off + 20, off + ln))
                    off += (ln + 3) & ~3
        except socket.timeout:
            return errno.ENOBUFS if lost else "timeout", msgs
        except OSError as e:
            return e.errno, msgs
        finally:
            self.s.settimeout(10)


def ctr_pair(a):
    c = attrs(a[VLO_A_COUNTERS], 0, len(a[VLO_A_COUNTERS]))
    return [struct.unpack("Q", c[VLO_CTR_IN_PACKETS])[0], struct.unpack("Q", c[VLO_CTR_OUT_PACKETS])[0]]


def sweep_genl(dev, addrs):
    """A dump of the device's addresses and a read-and-zero of each address,
    each allocation failing in turn: an error or the exact counts."""
    g = Genl()
    idx = ifindex(dev)
    raw = {a: socket.inet_pton(socket.AF_INET6 if ":" in a else socket.AF_INET, a) for a in addrs}
    ifa = attr(VLO_A_IFINDEX, struct.pack("I", idx))

    # every address at exactly in 2, out 2: zero, then one ping each
    def settle():
        for a in addrs:
            g.call(VLO_CMD_ZERO_ADDR, NLM_F_ACK, ifa + attr(VLO_A_ADDR, raw[a]))
            if not pinged(a):
                bad.append(f"genl: ping {a} failed")

    def read_all():
        # the totals: the device keeps no split per address (addr-split off)
        rc, msgs = g.call(VLO_CMD_GET_ADDR, NLM_F_DUMP, ifa + attr(VLO_A_TOTALS, b""))
        return rc, {m[VLO_A_ADDR]: ctr_pair(m) for m in msgs}

    settle()
    rc, got = read_all()
    want = {raw[a]: [2, 2] for a in addrs}
    if rc != 0 or got != want:
        bad.append(f"genl: dump without faults gave {errname(rc)} {got}, want {want}")
        return

    def dump_check(n, rc, left):
        got = res["got"]
        if rc == 0 and got != want:
            bad.append(f"genl dump n={n}: no error but counts {got} (want {want})")
        if rc != 0 and any(v != [2, 2] for v in got.values()):
            bad.append(f"genl dump n={n}: {errname(rc)} after wrong counts {got}")

    res = {}

    def dump_op():
        rc, res["got"] = read_all()
        return rc

    sweep_until_clean("genl address dump", dump_op, dump_check)

    for a in addrs:
        body = ifa + attr(VLO_A_ADDR, raw[a])
        name = f"genl read-and-zero of {a}"

        def zero_op():
            rc, res["msgs"] = g.call(VLO_CMD_ZERO_ADDR, NLM_F_ACK, body)
            return rc

        def zero_check(n, rc, left):
            msgs = res["msgs"]
            taken = ctr_pair(msgs[0]) if msgs else None
            if taken is not None and taken != [2, 2]:
                bad.append(f"{name} n={n}: took {taken} (want [2, 2])")
            rc2, now = read_all()
            left_now = now.get(raw[a])
            if rc2 != 0 or left_now is None:
                bad.append(f"{name} n={n}: cannot read back: {errname(rc2)} {now}")
                return
            # what was taken is gone, what was not is still there
            want_left = [0, 0] if taken is not None else [2, 2]
            if left_now != want_left:
                bad.append(f"{name} n={n}: {errname(rc) if rc else 'answered'}, "
                           f"reply {taken}, {left_now} left (want {want_left})")
            if taken is None and rc == 0:
                bad.append(f"{name} n={n}: acknowledged without a reply")
            settle()

        sweep_until_clean(name, zero_op, zero_check)


def main():
    what = sys.argv[1]
    if what == "link":
        n = sweep_link()
        print(f"# link add: {n} allocation calls, each failed in turn")
    elif what == "load":
        sweep_load(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif what == "netns":
        sweep_netns(int(sys.argv[2]), int(sys.argv[3]))
    elif what == "addr":
        for line in sweep_addr(sys.argv[2], sys.argv[3:]):
            print(line)
    elif what == "carry-sysfs":
        sweep_carry_sysfs(sys.argv[2], sys.argv[4:], sys.argv[3] == "first")
    elif what == "carry-rtnl":
        sweep_carry_rtnl(sys.argv[2], sys.argv[4:], sys.argv[3] == "first")
    elif what == "carry-up":
        sweep_carry_up(sys.argv[2], sys.argv[4:], sys.argv[3] == "first")
    elif what == "carry-mtu":
        sweep_carry_mtu(sys.argv[2], sys.argv[5:], (int(sys.argv[3]), int(sys.argv[4])))
    elif what == "acct-first":
        sweep_acct_first(sys.argv[2])
    elif what == "genl":
        sweep_genl(sys.argv[2], sys.argv[3:])
    for k, v in vlo_refused.items():
        print(f"# refused by vlo x{v}: {k}")
    print("# injected failures: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    print("# errors returned: " + (", ".join(f"{errname(k)} x{v}" for k, v in errors.items()) or "none"))
    for b in bad:
        print("BAD " + b)


main()
EOF
sweep() {
	python3 -S "$sweeper" "$@"
}

# --- ip link add -------------------------------------------------------------

vlo_load numdevs=0
ns_add f
N=$(ns f)
out=$(ip netns exec "$N" python3 -S "$sweeper" link)
echo "$out" | grep '^#' || true
check_eq "link add: every refusal clean, every success complete" "" "$(grep '^BAD' <<<"$out" || true)"
check_match "link add: some allocations were failed" "injected-and-refused [1-9]" "$out"
check_eq "link add: no vlo device left in the namespace" 0 \
	"$(ip -n "$N" -br link show type vlo | wc -l)"
check_ok "link add: works again without faults" ip -n "$N" link add vlof type vlo
ip -n "$N" link del vlof

# --- addresses -------------------------------------------------------------------

ip -n "$N" link add vloa type vlo
ip -n "$N" link set vloa up
out=$(ip netns exec "$N" python3 -S "$sweeper" addr vloa 10.111.0.1 fd00:111::1)
echo "$out" | grep '^#' || true
check_eq "addr add: every refusal clean, every address in place counts its pings" "" \
	"$(grep '^BAD' <<<"$out" || true)"
check_eq "addr add: both addresses in place at the end" "10.111.0.1 fd00:111::1" \
	"$(ip -n "$N" -j addr show dev vloa | jq -r '.[0].addr_info[] | select(.scope == "global") | .local' | xargs)"
# vlo's validators allocate the accounting entry and refuse the address when
# they cannot, so no address is ever in place and uncounted (which the
# notifier, atomic for IPv6, would otherwise log).
check_eq "addr add: no address left uncounted" "0" \
	"$(dmesg | tail -n +$((_dmesg_start + 1)) | grep -c 'vloa: cannot account a new address' || true)"
check_match "addr add: vlo's validator refused when its allocation failed" \
	"^# refused by vlo x[1-9][0-9]*: ENOMEM: vlo: no memory to account the address$" "$out"
# (the sweep pinged every address that got in place: start again from 0)
ip netns exec "$N" sh -c 'echo 1 >/sys/class/net/vloa/vlo/reset'
ip netns exec "$N" ping -c 1 -W 5 10.111.0.1 >/dev/null
ip netns exec "$N" ping -6 -c 1 -W 5 fd00:111::1 >/dev/null
check_eq "addr add: the final addresses are counted" "4 4" \
	"$(sysfs_counter vloa in_packets "$N") $(sysfs_counter vloa out_packets "$N")"
ip -n "$N" link del vloa

# --- carry, the accounting hooks, the genl family ------------------------------

# Whether vlo's hooks are registered, seen from outside where the kernel
# has kprobe events: kprobes count the calls of the accounting and carry
# hook functions (the sweeper sends a datagram to 127.0.0.1 and ::1 and
# looks whether they moved). The debug kernel has none: there a leftover
# registration shows only as the WARN of carry's pernet exit (a device
# count left), or not at all.
T=/sys/kernel/tracing
[ -e $T/kprobe_events ] || mount -t tracefs nodev $T 2>/dev/null || true
probes="vlo_fault_a4:vlo_hook4 vlo_fault_a6:vlo_hook6 vlo_fault_c4:vlo_carry_first4 vlo_fault_c6:vlo_carry_first6"
probes_set=
# shellcheck disable=SC2317 # also run by on_exit
probes_off() {
	local p
	[ -n "$probes_set" ] || return 0
	for p in $probes; do
		{ echo 0 >"$T/events/kprobes/${p%%:*}/enable"; } 2>/dev/null || true
		{ echo "-:${p%%:*}" >>"$T/kprobe_events"; } 2>/dev/null || true
	done
	probes_set=
}
if { echo >>$T/kprobe_events; } 2>/dev/null; then
	probes_set=1
	on_exit probes_off
	for p in $probes; do
		echo "p:${p%%:*} vlo:${p#*:}" >>$T/kprobe_events
		echo 1 >"$T/events/kprobes/${p%%:*}/enable"
	done
else
	echo "# no kprobe events in this kernel: whether hooks are registered is not seen"
fi

ns_add c
C=$(ns c)
ip -n "$C" link add vloc type vlo
ip -n "$C" link add vloe type vlo
ip -n "$C" addr add 10.113.0.1/32 dev vloc
ip -n "$C" addr add fd00:113::1/128 dev vloc nodad
ip -n "$C" addr add 10.114.0.1/32 dev vloe
ip -n "$C" link set vloc up
ip -n "$C" link set vloe up
carry_sweep() { # WHAT ARGS...: one carry sweep in $C, its summary and checks
	local out
	out=$(ip netns exec "$C" python3 -S "$sweeper" "$@")
	echo "$out" | grep '^#' || true
	check_eq "$1 $3 $4: every refusal clean, every success carries" "" \
		"$(grep '^BAD' <<<"$out" || true)"
	check_match "$1 $3 $4: some allocations were failed" "injected-and-refused [1-9]" "$out"
}
# the namespace's first carry device: the switch makes the routes and
# registers the carry hooks
carry_sweep carry-sysfs vloc first 10.113.0.1 fd00:113::1
# a second one, over rtnetlink (ip link set vloc type vlo carry on)
ip netns exec "$C" sh -c 'echo 1 >/sys/class/net/vloe/vlo/carry'
carry_sweep carry-rtnl vloc second 10.113.0.1 fd00:113::1
ip netns exec "$C" sh -c 'echo 0 >/sys/class/net/vloe/vlo/carry'
# carry on while down: the routes and the hooks come with the device up
ip -n "$C" link set vloc down
ip netns exec "$C" sh -c 'echo 1 >/sys/class/net/vloc/vlo/carry'
carry_sweep carry-up vloc first 10.113.0.1 fd00:113::1
# a new MTU across 1280 remakes the routes (IPv6 state goes, a new one comes)
ip -n "$C" link set vloc up
carry_sweep carry-mtu vloc 1500 1000 10.113.0.1
carry_sweep carry-mtu vloc 1000 1500 10.113.0.1
ip netns exec "$C" sh -c 'echo 0 >/sys/class/net/vloc/vlo/carry'
check_ok "carry: the devices are deleted after the sweeps (no route holds them)" \
	sh -c "ip -n $C link del vloc && ip -n $C link del vloe"

# The first vlo address of a namespace registers the accounting hooks (its
# validator, which may sleep), the last one's removal unregisters them (a
# work item): each attempt in a new namespace, every allocation.
for a in 10.115.0.1 fd00:115::1; do
	out=$(VLO_FAULT_STRIDE_NS=1 python3 -S "$sweeper" acct-first $a)
	echo "$out" | grep '^#' || true
	check_eq "first address $a: every refusal clean, every address in place counts exactly" "" \
		"$(grep '^BAD' <<<"$out" || true)"
	check_match "first address $a: refused when the hooks could not be registered" \
		"^# refused by vlo x[1-9][0-9]*: ENOMEM: vlo: cannot register the accounting hooks$" "$out"
done

# The genl family: a dump and a read-and-zero, each an error or exact.
ip -n "$C" link add vlog type vlo
ip -n "$C" link set vlog up
ip -n "$C" addr add 10.115.0.1/32 dev vlog
ip -n "$C" addr add fd00:115::1/128 dev vlog nodad
out=$(ip netns exec "$C" python3 -S "$sweeper" genl vlog 10.115.0.1 fd00:115::1)
echo "$out" | grep '^#' || true
check_eq "genl: every answer exact, every error loses nothing" "" "$(grep '^BAD' <<<"$out" || true)"
check_match "genl: some allocations were failed" "injected-and-refused [1-9]" "$out"
ns_del c
probes_off

# --- netns creation while loaded: vlo's pernet init ----------------------------

# vlo's pernet operations were registered last, so its init (the two
# address tables) makes the last allocations of a namespace's creation.
out=$(sweep netns "$STRIDE" $((400 * SCALE)))
echo "$out" | grep '^#' || true
check_eq "netns creation: every refusal clean" "" "$(grep '^BAD' <<<"$out" || true)"
check_match "netns creation: some allocations were failed" "injected-and-refused [1-9]" "$out"
# shellcheck disable=SC2016 # expanded by that sh
check_ok "a namespace is created and counts after the sweep" sh -c '
	ip netns add vlo-fault-after-$$ &&
	ip -n vlo-fault-after-$$ link set lo up &&
	ip -n vlo-fault-after-$$ link add vlo0 type vlo &&
	ip -n vlo-fault-after-$$ link set vlo0 up &&
	ip -n vlo-fault-after-$$ addr add 10.112.0.1/24 dev vlo0 &&
	ip netns exec vlo-fault-after-$$ ping -c 1 -W 5 10.112.0.1 >/dev/null &&
	test "$(ip netns exec vlo-fault-after-$$ cat /sys/class/net/vlo0/vlo/in_packets)" = 2
	rc=$?; ip netns del vlo-fault-after-$$; exit $rc'
ns_del f
check_ok "rmmod after the link, address and netns sweeps" vlo_unload

# --- module load -------------------------------------------------------------------

# load_module's own allocations come first, vlo's init (pernet, notifiers,
# four devices) last: the window covers vlo's part and the loader's tail.
cp "$VLO_KO" /tmp/vlo-fault.ko
out=$(sweep load /tmp/vlo-fault.ko $((2 * STRIDE)) $((800 * SCALE)))
rm -f /tmp/vlo-fault.ko
echo "$out" | grep '^#' || true
check_eq "module load: every refusal clean, every success complete" "" \
	"$(grep '^BAD' <<<"$out" || true)"
check_match "module load: some allocations were failed" "injected-and-refused [1-9]" "$out"
check_eq "module load: no module left" no "$(vlo_loaded)"
check_eq "module load: no vlo device left" 0 "$(ip -br link show type vlo | wc -l)"
check_ok "the module loads after the sweep" vlo_load numdevs=4
check_eq "... with its four devices" "vlo0 vlo1 vlo2 vlo3" \
	"$(ip -br link show type vlo | awk '{print $1}' | sort | xargs)"
check_ok "... and unloads" vlo_unload

test_done
