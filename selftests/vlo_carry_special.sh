#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# carry where lo is special: a smaller MTU on the device (fragments, or the
# error for a sender that insists on DF, IPV6_DONTFRAG too), strict
# rp_filter with martians logged, an inbound IPsec policy, OUTPUT DNAT and
# re-routing by mark, a VRF-enslaved device, an address on carry-on and
# carry-off devices in either order, what a sender sees when the device's
# qdisc drops, and two CPUs that each carry with their own route.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carry_lib.sh"

require_cmd nft tc python3 ping

carry_ns t r
R=$(ns r)

A=10.9.0.1
A6=fd09::1
carry_vlo vlo-c 1 $A/24 $A6/64
carry_vlo vlo-d 1 10.7.0.1/24

# --- MTU ---------------------------------------------------------------------------

for mtu in 1500 1280; do
	ip -n "$N" link set vlo-c mtu $mtu
	c0=$(frames vlo-c)
	check_eq "MTU $mtu: IPv4 TCP and UDP, 3 MB each way" "tcp exact udp 3000/3000" \
		"$(echo_traffic $A 3000000)"
	check_eq "MTU $mtu: IPv6 TCP and UDP, 3 MB each way" "tcp exact udp 3000/3000" \
		"$(echo_traffic $A6 3000000)"
	read -r tx rx <<<"$(delta vlo-c "$c0")"
	check_eq "MTU $mtu: all of it crossed vlo-c ($tx frames out, $rx in)" \
		"1 $tx" "$((tx >= 12000)) $rx"
done

ip -n "$N" link set vlo-c mtu 1500
c0=$(frames vlo-c)
out=$(in_ns ping -c 1 -W 2 -M "do" -s 3000 $A 2>&1) || rc=$?
check_match "ping -M do -s 3000 A at MTU 1500 gets its error" "mtu ?=? ?1500" "$out"
check_eq "... only that error crossed vlo-c (ICMP from A to A), no echo" "1 1" \
	"$(delta vlo-c "$c0")"
out=$(in_ns ping -6 -c 1 -W 2 -M "do" -s 3000 $A6 2>&1) || rc=$?
check_match "ping -6 -M do -s 3000 A6 gets its error" "mtu ?[=:]? ?1500" "$out"
# IPV6_DONTFRAG: the kernel checks it against lo's MTU as it builds the
# datagram; carried, it must fail as on a veth at MTU 1500 (the oracle)
ip -n "$N" link add vlo-dfa type veth peer name vlo-dfb
ip -n "$N" addr add fd0a::1/64 dev vlo-dfa nodad
ip -n "$N" link set vlo-dfa up
ip -n "$N" link set vlo-dfb up
dontfrag() { # ADDR
	in_ns python3 -S - "$1" <<'PY'
import errno, socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, 62, 1)  # IPV6_DONTFRAG
try:
    s.sendto(b"x" * 3000, (sys.argv[1], 9))
    print("sent")
except OSError as e:
    print(errno.errorcode[e.errno])
PY
}
check_eq "oracle: IPV6_DONTFRAG, 3000 bytes out of a veth at MTU 1500: EMSGSIZE" \
	EMSGSIZE "$(dontfrag fd0a::2)"
check_eq "IPV6_DONTFRAG, 3000 bytes to A6 at MTU 1500: EMSGSIZE" EMSGSIZE "$(dontfrag $A6)"
ip -n "$N" link del vlo-dfa
c0=$(frames vlo-c)
check_ok "ping -s 3000 A (DF not insisted on) works" \
	in_ns ping -c 1 -W 2 -s 3000 $A
check_eq "... in 3 fragments each way" "6 6" "$(delta vlo-c "$c0")"
c0=$(frames vlo-c)
check_ok "ping -6 -s 3000 A6 works" in_ns ping -6 -c 1 -W 2 -s 3000 $A6
check_eq "... in 3 fragments each way" "6 6" "$(delta vlo-c "$c0")"

# --- strict rp_filter, martians logged ------------------------------------------

for k in all.rp_filter default.rp_filter vlo-c.rp_filter vlo-d.rp_filter \
	all.log_martians vlo-c.log_martians vlo-d.log_martians; do
	in_ns sysctl -qw "net.ipv4.conf.$k=1"
done
m0=$(dmesg | grep -c -i martian || true)
c0=$(frames vlo-c)
d0=$(frames vlo-d)
check_ok "strict rp_filter: ping A" ping_q 2 $A
check_ok "strict rp_filter: ping A from vlo-d's address" ping_q 2 -I 10.7.0.1 $A
check_eq "... the 4 requests and the 2 replies to A crossed vlo-c" "6 6" "$(delta vlo-c "$c0")"
check_eq "... the replies to vlo-d's address crossed vlo-d" "2 2" "$(delta vlo-d "$d0")"
check_eq "no martian logged" "$m0" "$(dmesg | grep -c -i martian || true)"

# --- inbound IPsec policy -----------------------------------------------------------

carry_link "$R"
for k in carry-t.rp_filter all.rp_filter default.rp_filter; do
	in_ns sysctl -qw "net.ipv4.conf.$k=0"
done
check_ok "before the policy, another host reaches A" \
	ip netns exec "$R" ping -c 1 -W 2 $A
for p in 0.0.0.0/0 ::/0; do
	ip -n "$N" xfrm policy add dir in src "$p" dst "$p" tmpl proto esp mode transport
done
check_fail "an inbound policy with no SA stops another host's ping of A" \
	ip netns exec "$R" ping -c 1 -W 2 $A
c0=$(frames vlo-c)
check_ok "a carried ping of A is exempt, as over lo" ping_q 1 $A
check_ok "... of A6 too" ping_q 1 $A6
check_eq "... and both crossed vlo-c" "4 4" "$(delta vlo-c "$c0")"
check_eq "carry set the device's disable_policy, as lo has it" 1 \
	"$(in_ns sysctl -n net.ipv4.conf.vlo-c.disable_policy)"
carry vlo-c 0
check_eq "carry off puts the 0 it found back" 0 \
	"$(in_ns sysctl -n net.ipv4.conf.vlo-c.disable_policy)"
check_ok "... and a ping of A, over lo now, is exempt as before" ping_q 1 $A
in_ns sysctl -qw net.ipv4.conf.vlo-c.disable_policy=1
carry vlo-c 1
carry vlo-c 0
check_eq "a disable_policy the user set stays when carry goes off" 1 \
	"$(in_ns sysctl -n net.ipv4.conf.vlo-c.disable_policy)"
in_ns sysctl -qw net.ipv4.conf.vlo-c.disable_policy=0
carry vlo-c 1
ip -n "$N" xfrm policy flush

# --- OUTPUT DNAT and re-routing by mark -------------------------------------------

ip -n "$N" link add carry-x type dummy
# nothing of its own in its queue (the qdisc oracle below): no IPv6
in_ns sysctl -qw net.ipv6.conf.carry-x.disable_ipv6=1
ip -n "$N" addr add 10.66.0.2/24 dev carry-x
ip -n "$N" link set carry-x up
in_ns nft -f - <<'EOF'
table ip carry {
	counter post_c { }
	counter marked { }
	chain nat_out { type nat hook output priority -100;
		ip daddr 10.66.0.1 dnat to 10.9.0.1
	}
	chain route_out { type route hook output priority -150;
		ip daddr 10.9.0.1 icmp type echo-request meta mark set 7
	}
	chain post { type filter hook postrouting priority 0;
		oifname "vlo-c" counter name post_c
		oifname "vlo-c" meta mark 7 counter name marked
	}
}
EOF
c0=$(frames vlo-c)
check_ok "OUTPUT DNAT of 10.66.0.1 to A: ping answers" ping_q 1 10.66.0.1
check_eq "... the request crossed vlo-c (the reply goes to 10.66.0.2, over lo)" "1 1" \
	"$(delta vlo-c "$c0")"
c0=$(frames vlo-c)
check_ok "a route chain marks the echo requests to A (re-routed): ping answers" ping_q 2 $A
check_eq "... request and reply still crossed vlo-c" "4 4" "$(delta vlo-c "$c0")"
check_eq "... postrouting saw 5 packets leave on vlo-c, 2 marked" "5 2" \
	"$(nft_counter ip carry post_c packets "$N") $(nft_counter ip carry marked packets "$N")"
in_ns nft delete table ip carry

# --- VRF ------------------------------------------------------------------------------

if ip -n "$N" link add red type vrf table 10 2>/dev/null; then
	ip -n "$N" link set red up
	ip -n "$N" link add vlo-v type vlo
	carry vlo-v 1
	ip -n "$N" link set vlo-v master red
	ip -n "$N" addr add 10.5.0.1/24 dev vlo-v
	ip -n "$N" link set vlo-v up
	v0=$(frames vlo-v)
	# bound to the VRF device: `ip vrf exec` needs cgroup BPF, which
	# not every kernel the suite boots has (the debug kernel has not)
	check_ok "carry device in VRF red: its address answers in the VRF" \
		in_ns ping -I red -c 1 -W 2 10.5.0.1
	check_eq "... through the VRF device, not vlo-v" "0 0" "$(delta vlo-v "$v0")"
	check_eq "... the switch stays on" 1 "$(in_ns cat /sys/class/net/vlo-v/vlo/carry)"
	ip -n "$N" link set vlo-v nomaster
	ip -n "$N" addr replace 10.5.0.1/24 dev vlo-v
	ip -n "$N" link set vlo-v up
	v0=$(frames vlo-v)
	check_ok "out of the VRF: the address answers" ping_q 1 10.5.0.1
	check_eq "... across vlo-v" "2 2" "$(delta vlo-v "$v0")"
else
	echo "# no VRF support: VRF case not tested"
fi

# --- an address on several devices ------------------------------------------------

# Carried if any carry device holds it, across the one with the lowest
# ifindex, in whichever order the devices got it: vlo-p (carry off), then
# vlo-q and vlo-r (carry on) are created in this order.
for d in vlo-p vlo-q vlo-r; do
	ip -n "$N" link add $d type vlo
	[ $d = vlo-p ] || carry $d 1
	ip -n "$N" link set $d up
done
# shared ADDR DEV...: ADDR on each DEV in that order; one ping of it; then
# the frames that crossed vlo-p, vlo-q, vlo-r, and what vloctl says
shared() {
	local a=$1 d p0 q0 r0 opt=() carried
	shift
	[[ $a != *:* ]] || opt=(nodad)
	for d in "$@"; do
		ip -n "$N" addr add "$a" dev "$d" "${opt[@]}"
	done
	p0=$(frames vlo-p)
	q0=$(frames vlo-q)
	r0=$(frames vlo-r)
	ping_q 1 "${a%/*}"
	carried=$("$VLOCTL" -n "$N" -j route get "${a%/*}" | jq -r '.[0].vlo.carried_by')
	echo "$(delta vlo-p "$p0"), $(delta vlo-q "$q0"), $(delta vlo-r "$r0"); $carried"
	for d in "$@"; do
		ip -n "$N" addr del "$a" dev "$d"
	done
}
for a in 10.60.0.1/32 fd60::1/128; do
	check_eq "$a on vlo-p (carry off), then vlo-q (on): crosses vlo-q, vloctl says so" \
		"0 0, 2 2, 0 0; vlo-q" "$(shared $a vlo-p vlo-q)"
	check_eq "$a on vlo-q (on), then vlo-p (off): the same" \
		"0 0, 2 2, 0 0; vlo-q" "$(shared $a vlo-q vlo-p)"
	check_eq "$a on vlo-r, then vlo-q (both on): crosses vlo-q, the lower ifindex" \
		"0 0, 2 2, 0 0; vlo-q" "$(shared $a vlo-r vlo-q)"
	check_eq "$a on vlo-q, then vlo-r: the same" \
		"0 0, 2 2, 0 0; vlo-q" "$(shared $a vlo-q vlo-r)"
	check_eq "$a on vlo-p alone (carry off): crosses lo, vloctl says so" \
		"0 0, 0 0, 0 0; null" "$(shared $a vlo-p)"
done
for d in vlo-p vlo-q vlo-r; do
	ip -n "$N" link del $d
done

# --- the qdisc drops: what the sender sees -----------------------------------------

# 10 datagrams into a qdisc that holds 2 (netem, 1 s delay): the sender gets
# ENOBUFS for the 8 dropped (it asked for errors with IP_RECVERR), as from
# any device: a dummy device with the same qdisc is the oracle.
udp_into_full_qdisc() { # ADDR LISTEN(0|1)
	in_ns python3 -S - "$1" "$2" <<'PY'
import socket, sys
a, listen = sys.argv[1], sys.argv[2] == "1"
fam = socket.AF_INET6 if ":" in a else socket.AF_INET
rx = None
if listen:
    rx = socket.socket(fam, socket.SOCK_DGRAM)
    rx.bind((a, 0))
    rx.settimeout(3)
    dst = rx.getsockname()
else:
    dst = (a, 9)
tx = socket.socket(fam, socket.SOCK_DGRAM)
if fam == socket.AF_INET6:
    tx.setsockopt(socket.IPPROTO_IPV6, 25, 1)  # IPV6_RECVERR
else:
    tx.setsockopt(socket.IPPROTO_IP, 11, 1)  # IP_RECVERR
errors = 0
for i in range(10):
    try:
        tx.sendto(b"x" * 100, dst)
    except OSError as e:
        errors += e.errno == 105  # ENOBUFS
got = 0
try:
    while rx:
        rx.recv(200)
        got += 1
except socket.timeout:
    pass
print(f"ENOBUFS {errors} received {got}")
PY
}
qdisc_drops() { # DEV
	in_ns tc -s -j qdisc show dev "$1" | jq '.[0].drops'
}

in_ns tc qdisc add dev carry-x root netem delay 1s limit 2
check_eq "oracle: a dummy device with netem limit 2, 10 datagrams: ENOBUFS for 8" \
	"ENOBUFS 8 received 0" "$(udp_into_full_qdisc 10.66.0.9 0)"
in_ns tc qdisc del dev carry-x root
for a in $A $A6; do
	in_ns tc qdisc add dev vlo-c root netem delay 1s limit 2
	check_eq "$a: netem limit 2 on vlo-c, 10 datagrams: ENOBUFS for 8, 2 arrive" \
		"ENOBUFS 8 received 2" "$(udp_into_full_qdisc "$a" 1)"
	check_eq "... the qdisc counts the 8 it dropped" 8 "$(qdisc_drops vlo-c)"
	in_ns tc qdisc del dev vlo-c root
done

# --- two CPUs: no shared route ---------------------------------------------------

# Each CPU hands carried packets its own copy of the device's route, so two
# CPUs sending at once never touch one refcount. A kprobe on vlo's xmit reads
# the route each frame holds (sk_buff's _skb_refdst, at the offset the
# kernel's BTF gives) and the CPU it was sent on: pings pinned to CPU 0 and
# to CPU 1 must each see one route, not the same one.
T=/sys/kernel/tracing
[ -e $T/kprobe_events ] || mount -t tracefs nodev $T 2>/dev/null || true
refdst=$(pahole -C sk_buff /sys/kernel/btf/vmlinux 2>/dev/null |
	awk '/ _skb_refdst;/ { print $(NF - 2); exit }')
if [ "$(nproc)" -lt 2 ] || [ -z "$refdst" ] || [ ! -e $T/kprobe_events ] ||
	! command -v taskset >/dev/null; then
	echo "# two CPUs, kernel BTF, pahole, taskset and kprobe events needed: per-CPU routes not tested"
else
	# shellcheck disable=SC2317 # run on exit
	cpu_routes_cleanup() {
		echo 0 >"$T/events/kprobes/vlo_carry_xmit/enable" 2>/dev/null
		echo '-:vlo_carry_xmit' >>"$T/kprobe_events" 2>/dev/null
	}
	on_exit cpu_routes_cleanup
	echo "p:vlo_carry_xmit vlo:vlo_xmit refdst=+$refdst(%di):x64" >>$T/kprobe_events
	echo >$T/trace
	echo 1 >$T/events/kprobes/vlo_carry_xmit/enable
	for cpu in 0 1; do
		in_ns taskset -c $cpu ping -c 3 -i 0.2 -W 2 -q $A >/dev/null
		in_ns taskset -c $cpu ping -c 3 -i 0.2 -W 2 -q $A6 >/dev/null
	done
	echo 0 >$T/events/kprobes/vlo_carry_xmit/enable
	# "... [001] ... vlo_carry_xmit: (vlo_xmit+0x0/...) refdst=0x..."
	routes() {
		sed -n "s/.*\[00$1\].* refdst=\(0x[0-9a-f]*\).*/\1/p" $T/trace | sort -u | xargs
	}
	r0=$(routes 0)
	r1=$(routes 1)
	check_eq "6 pings on each CPU: 12 frames crossed vlo-c on CPU 0, 12 on CPU 1" "12 12" \
		"$(sed -n 's/.*\[00\([01]\)\].* refdst=.*/\1/p' $T/trace | sort | uniq -c |
			awk '{ printf "%s ", $1 }' | xargs)"
	check_eq "CPU 0 gave them two routes (IPv4, IPv6), CPU 1 two" "2 2" \
		"$(wc -w <<<"$r0") $(wc -w <<<"$r1")"
	check_eq "... none of them shared by the two CPUs" 4 \
		"$(tr ' ' '\n' <<<"$r0 $r1" | sort -u | wc -l)"
fi

# --- the smallest MTU ------------------------------------------------------------

# IPv4 down to its minimum, last: below 1280 IPv6 leaves the device, and
# what addrconf does when it comes back is not this test's subject
ip -n "$N" link set vlo-c mtu 68
c0=$(frames vlo-c)
check_eq "MTU 68: IPv4 TCP and UDP, 3 MB each way" "tcp exact udp 3000/3000" \
	"$(echo_traffic $A 3000000)"
read -r tx rx <<<"$(delta vlo-c "$c0")"
check_eq "MTU 68: all of it crossed vlo-c ($tx frames out, $rx in)" \
	"1 $tx" "$((tx >= 6000)) $rx"

test_done
