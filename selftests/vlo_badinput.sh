#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile input that vlo_link.sh, vlo_acct_control.sh and vlo_perm.sh do not
# already feed: more numdevs spellings, raw rtnetlink messages that iproute2
# cannot build (out-of-range and unknown IFLA_INFO_DATA attributes, unknown
# top-level attributes), sysfs writes with an embedded NUL, and counters read one byte
# at a time while they move, and an address the notifiers announce twice.
# Every refusal is checked exactly, and that nothing changed.

source "$(dirname "$0")/lib.sh"

require_cmd python3 jq ping

# --- module parameters: the spellings vlo_link.sh leaves out ------------------

# (spaces are not listed: they separate parameters before vlo sees them)
for bad in 4294967296 1.5 0x401 10abc "+-1" 1e3; do
	out=$(insmod "$VLO_KO" "numdevs=$bad" 2>&1) && rc=0 || rc=$?
	check_ne "numdevs='$bad' refuses the load" 0 "$rc"
	check_eq "numdevs='$bad' leaves no module" no "$(vlo_loaded)"
	check_eq "numdevs='$bad' leaves no device" 0 "$(ip -br link show type vlo | wc -l)"
	check_match "numdevs='$bad': insmod says why" "Invalid parameters|Invalid argument|Numerical result" "$out"
done
check_match "the last refusal is explained in the kernel log" \
	"vlo: numdevs=1e3 refused: give a number from 0 to 1024" "$(dmesg | tail -n 20)"

# --- raw rtnetlink ---------------------------------------------------------------

vlo_load numdevs=0
ns_add a
N=$(ns a)
ip -n "$N" link add vlo-x type vlo
before=$(ip -n "$N" -d -j link show | jq -c '[.[] | {ifname, mtu, address, linkinfo}]')

# rtnl NAME FLAGS KIND INFO_DATA [EXTRA]: one RTM_NEWLINK for NAME with
# IFLA_LINKINFO {KIND, DATA}; DATA and EXTRA are Python bytes literals of
# ready attributes, "none" leaves IFLA_INFO_DATA out. Prints the errno name
# (or "ok") and the extack message.
rtnl() {
	ip netns exec "$N" python3 -S - "$@" <<'EOF'
import errno, socket, struct, sys

name, flags, kind, data = sys.argv[1:5]


def attr(t, p):
    n = 4 + len(p)
    return struct.pack("HH", n, t) + p + b"\0" * ((4 - n % 4) % 4)


extra = eval(sys.argv[5]) if len(sys.argv) > 5 else b""

info = attr(1, kind.encode())  # IFLA_INFO_KIND
if data != "none":
    info += attr(2, eval(data))  # IFLA_INFO_DATA
body = struct.pack("BxHiII", 0, 0, 0, 0, 0) + attr(3, name.encode() + b"\0")
body += attr(18, info) + extra  # IFLA_IFNAME, IFLA_LINKINFO
f = 1 | 4  # NLM_F_REQUEST | NLM_F_ACK
if flags == "create":
    f |= 0x400 | 0x200  # NLM_F_CREATE | NLM_F_EXCL
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
s.setsockopt(270, 11, 1)  # SOL_NETLINK, NETLINK_EXT_ACK
s.send(struct.pack("IHHII", 16 + len(body), 16, f, 1, 0) + body)  # RTM_NEWLINK
r = s.recv(65536)
err = -struct.unpack_from("i", r, 16)[0]
msg = ""
if struct.unpack_from("H", r, 6)[0] & 0x200:  # NLM_F_ACK_TLVS
    off = 16 + 4 + struct.unpack_from("I", r, 20)[0]  # past the echoed request
    while off + 4 <= len(r):
        n, t = struct.unpack_from("HH", r, off)
        if n < 4:
            break
        if t == 1:  # NLMSGERR_ATTR_MSG
            msg = r[off + 4:off + n].rstrip(b"\0").decode()
        off += (n + 3) & ~3
print(errno.errorcode.get(err, "ok"), msg)
EOF
}

# IFLA_INFO_DATA: IFLA_VLO_ACCOUNTING (1) and IFLA_VLO_CARRY (2) are u8
# switches; everything else is refused, and a refusal changes nothing.
acct() { echo "struct.pack(\"HHBxxx\", 5, 1, $1)"; }
carry_attr() { echo "struct.pack(\"HHBxxx\", 5, 2, $1)"; }
sw_before=$(ip netns exec "$N" cat /sys/class/net/vlo-x/vlo/accounting /sys/class/net/vlo-x/vlo/carry)
check_eq "create with accounting=2 refused" "ERANGE integer out of range" \
	"$(rtnl vlo-y create vlo "$(acct 2)")"
check_eq "accounting as a u32 (7) refused" "ERANGE integer out of range" \
	"$(rtnl vlo-y create vlo 'struct.pack("HHI", 8, 1, 7)')"
check_eq "accounting as a u32 (1) refused: a u8 is a u8" "EINVAL invalid attribute length" \
	"$(rtnl vlo-y create vlo 'struct.pack("HHI", 8, 1, 1)')"
check_eq "create with an unknown attribute 99 refused" "EINVAL Unknown attribute type" \
	"$(rtnl vlo-y create vlo 'struct.pack("HHBxxx", 5, 99, 1)')"
check_eq "a valid setting beside an unknown one: all refused" "EINVAL Unknown attribute type" \
	"$(rtnl vlo-x change vlo "$(acct 0)"' + struct.pack("HHBxxx", 5, 99, 0)')"
check_eq "change with accounting=255 refused" "ERANGE integer out of range" \
	"$(rtnl vlo-x change vlo "$(acct 255)")"
check_eq "refused changes left the switches as they were" "$sw_before" \
	"$(ip netns exec "$N" cat /sys/class/net/vlo-x/vlo/accounting /sys/class/net/vlo-x/vlo/carry)"
check_eq "no vlo-y was created by a refused request" "" \
	"$(ip -n "$N" -br link show vlo-y 2>/dev/null)"
check_eq "an empty IFLA_INFO_DATA creates a device with the defaults" "ok " \
	"$(rtnl vlo-y create vlo 'b""')"
check_eq "... accounting on, carry off" "1 0" \
	"$(ip netns exec "$N" cat /sys/class/net/vlo-y/vlo/accounting /sys/class/net/vlo-y/vlo/carry | xargs)"
ip -n "$N" link del vlo-y
check_eq "create with accounting=0" "ok " "$(rtnl vlo-y create vlo "$(acct 0)")"
check_eq "... starts with accounting off" 0 \
	"$(ip netns exec "$N" cat /sys/class/net/vlo-y/vlo/accounting)"
check_eq "change it to accounting=1" "ok " "$(rtnl vlo-y change vlo "$(acct 1)")"
check_eq "... sysfs agrees" 1 "$(ip netns exec "$N" cat /sys/class/net/vlo-y/vlo/accounting)"
ip -n "$N" link del vlo-y
check_eq "create with carry=2 refused" "ERANGE integer out of range" \
	"$(rtnl vlo-y create vlo "$(carry_attr 2)")"
check_eq "create with carry=1" "ok " "$(rtnl vlo-y create vlo "$(carry_attr 1)")"
check_eq "... starts with carry on" 1 "$(ip netns exec "$N" cat /sys/class/net/vlo-y/vlo/carry)"
check_eq "change it to carry=0" "ok " "$(rtnl vlo-y change vlo "$(carry_attr 0)")"
check_eq "... sysfs agrees" 0 "$(ip netns exec "$N" cat /sys/class/net/vlo-y/vlo/carry)"
ip -n "$N" link del vlo-y
check_eq "a 3-byte IFLA_ADDRESS refused with vlo's message" \
	"EINVAL vlo: link-layer address must be 6 bytes" \
	"$(rtnl vlo-y create vlo none 'attr(1, b"\x02\0\0")')"
check_eq "refusals changed nothing" "$before" \
	"$(ip -n "$N" -d -j link show | jq -c '[.[] | {ifname, mtu, address, linkinfo}]')"
# rtnetlink's documented leniency for RTM_NEWLINK (nlmsg_parse_deprecated):
# top-level attributes it does not know are ignored, for every kind alike.
check_eq "an unknown top-level attribute is ignored (rtnetlink's rule)" "ok " \
	"$(rtnl vlo-z create vlo none 'attr(0x3ff, b"junk")')"
check_eq "... and the device is a normal vlo" "vlo 65536" \
	"$(ip -n "$N" -d -j link show vlo-z | jq -r '.[0] | "\(.linkinfo.info_kind) \(.mtu)"')"
ip -n "$N" link del vlo-z
# what `ip` prints for a refused request carries the extack message
out=$(ip -n "$N" link add vlo-y address 00:11 type vlo 2>&1) || true
check_match "ip prints the kernel's message" "Error: vlo: link-layer address must be 6 bytes" "$out"

# --- sysfs: NUL bytes, byte-wise reads ---------------------------------------------

D=/sys/class/net/vlo-x/vlo
ip -n "$N" link set vlo-x up
ip -n "$N" addr add 10.113.0.1/24 dev vlo-x
ip netns exec "$N" ping -c 2 -i 0.2 10.113.0.1 >/dev/null
before=$(ip netns exec "$N" sh -c "grep -H . $D/*_* $D/accounting")
# writebin FILE PYTHON-BYTES: one write(2); prints ok or the errno name
writebin() {
	ip netns exec "$N" python3 -S -c '
import errno, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
try:
    os.write(fd, eval(sys.argv[2]))
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])' "$@"
}
for v in 'b"0\0"' 'b"0\0junk"' 'b"\x000"' 'b"1\0\n"'; do
	check_eq "accounting: $v refused with EINVAL" EINVAL "$(writebin "$D/accounting" "$v")"
	check_eq "reset: $v refused with EINVAL" EINVAL "$(writebin "$D/reset" "$v")"
done
check_eq "reset: 8 KiB of digits refused with EINVAL" EINVAL "$(writebin "$D/reset" 'b"1" * 8192')"
check_eq "NUL and overlong writes changed nothing" "$before" \
	"$(ip netns exec "$N" sh -c "grep -H . $D/*_* $D/accounting")"

# A counter read one byte per read(2) while it moves is one value from one
# snapshot, between the whole reads before and after it.
ip netns exec "$N" ping -f -q -w 15 10.113.0.1 >/dev/null 2>&1 &
res=$(ip netns exec "$N" python3 -S -c '
import os, sys
p = sys.argv[1]
def whole():
    with open(p, "rb") as f:
        return f.read()
bad = 0
for _ in range(300):
    a = int(whole())
    fd = os.open(p, os.O_RDONLY)
    s = b""
    while True:
        c = os.read(fd, 1)
        if not c:
            break
        s += c
    os.close(fd)
    b = int(whole())
    if not s.endswith(b"\n") or not s[:-1].isdigit() or not a <= int(s) <= b:
        bad += 1
        print(f"torn? {a} {s!r} {b}")
print(f"bad {bad} last {b}")' "$D/in_bytes")
check_match "300 byte-wise reads under a flood: whole, monotonic values" "^bad 0 last [1-9]" "$res"
kill %1 2>/dev/null || true
wait 2>/dev/null || true

# --- an address announced twice ---------------------------------------------------

# With promote_secondaries (systemd turns it on for every device), deleting
# an IPv4 primary announces the promoted secondary with NETDEV_UP a second
# time: vlo must neither count it twice nor keep counting it once gone.
ip -n "$N" link add vlo-p type vlo
ip -n "$N" link add vlo-q type vlo
ip -n "$N" link set vlo-p up
ip -n "$N" link set vlo-q up
ip netns exec "$N" sysctl -qw net.ipv4.conf.vlo-p.promote_secondaries=1
ip -n "$N" addr add 10.114.0.1/24 dev vlo-p
ip -n "$N" addr add 10.114.0.2/24 dev vlo-p
ip -n "$N" addr del 10.114.0.1/24 dev vlo-p
ip netns exec "$N" ping -c 3 -i 0.2 10.114.0.2 >/dev/null
check_eq "a promoted secondary is counted once" "6 6" \
	"$(sysfs_counter vlo-p in_packets "$N") $(sysfs_counter vlo-p out_packets "$N")"
ip -n "$N" addr del 10.114.0.2/24 dev vlo-p
ip -n "$N" addr add 10.114.0.2/24 dev vlo-q
ip netns exec "$N" ping -c 3 -i 0.2 10.114.0.2 >/dev/null
check_eq "once moved to another device, it counts there only" "6 6 6 6" \
	"$(sysfs_counter vlo-p in_packets "$N") $(sysfs_counter vlo-p out_packets "$N") $(sysfs_counter vlo-q in_packets "$N") $(sysfs_counter vlo-q out_packets "$N")"

test_done
