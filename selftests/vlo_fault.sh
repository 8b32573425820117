#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Allocation failures (failslab + fail_page_alloc) injected into each
# allocation in turn, in the test's own task only (/proc/thread-self/fail-nth,
# the kernel's per-task sweep; failslab's task-filter keeps everyone else
# out): creating a device over rtnetlink, loading the module with numdevs=4,
# creating a network namespace while the module is loaded (vlo's pernet init:
# two rhltables and four netfilter hooks) and adding addresses. Each failure
# must be a clean error with nothing half-created, each absorbed failure must
# leave a working result, the module must unload at the end, and the
# kmemleak scan after the run (tools/vm/guest-init) must find nothing.
# Needs a kernel with CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC (the debug
# kernel, tools/debug-kernel); skips elsewhere.
#
# VLO_FAULT_STRIDE=N tries every Nth allocation of the long sweeps (module
# load, netns creation); VLO_STRESS_SCALE>=10 (make stress) tries all.

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
import ctypes, errno, os, socket, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
NTH = "/proc/thread-self/fail-nth"
RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_NEWADDR = 16, 17, 18, 20
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
IFLA_IFNAME, IFLA_LINKINFO, IFLA_INFO_KIND = 3, 18, 1
IFA_LOCAL, IFA_ADDRESS = 2, 1
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLM_F_ACK_TLVS, NLMSGERR_ATTR_MSG = 0x200, 1
CLONE_NEWNET = 0x40000000
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
if sys.argv[1] == "addr":
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
        for k, v in vlo_refused.items():
            print(f"# refused by vlo x{v}: {k}")
    print("# injected failures: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    print("# errors returned: " + (", ".join(f"{errname(k)} x{v}" for k, v in errors.items()) or "none"))
    for b in bad:
        print("BAD " + b)


main()
EOF
sweep() {
	python3 "$sweeper" "$@"
}

# --- ip link add -------------------------------------------------------------

vlo_load numdevs=0
ns_add f
N=$(ns f)
out=$(ip netns exec "$N" python3 "$sweeper" link)
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
out=$(ip netns exec "$N" python3 "$sweeper" addr vloa 10.111.0.1 fd00:111::1)
echo "$out" | grep '^#' || true
check_eq "addr add: every refusal clean, every address in place counts its pings" "" \
	"$(grep '^BAD' <<<"$out" || true)"
check_eq "addr add: both addresses in place at the end" "10.111.0.1 fd00:111::1" \
	"$(ip -n "$N" -j addr show dev vloa | jq -r '.[0].addr_info[].local' | xargs)"
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

# --- netns creation while loaded: vlo's pernet init ----------------------------

# vlo's pernet operations were registered last, so its init (the tables
# and the hooks) makes the last allocations of a namespace's creation.
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
