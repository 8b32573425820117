#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# carry: with the switch on, what the host sends to a vlo device's own
# addresses crosses that device (its xmit, its qdisc, its receive path), as
# 127.0.0.1 crosses lo, with exact frame, tcpdump, nft and accounting counts;
# what must not be carried is not; the switch refuses junk.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carry_lib.sh"

require_cmd tcpdump nft tc python3 jq

carry_ns t r
R=$(ns r)

A=10.9.0.1
A6=fd09::1
carry_vlo vlo-c 0 $A/24 $A6/64
# a device without carry, and a second carry device
carry_vlo vlo-n 0 10.8.0.1/24 fd08::1/64
carry_vlo vlo-d 0 10.7.0.1/24
C=/sys/class/net/vlo-c/vlo/carry

# --- the switch ------------------------------------------------------------------

check_eq "carry is off by default" 0 "$(in_ns cat $C)"
for junk in 2 -1 on yes " " 1x; do
	check_fail "carry refuses '$junk'" in_ns sh -c "printf '%s' '$junk' > $C"
done
check_eq "refused writes changed nothing" 0 "$(in_ns cat $C)"

# --- off: the lo path ----------------------------------------------------------------

lo0=$(frames lo)
c0=$(frames vlo-c)
ping_q 1 $A
check_eq "carry off: ping of A crosses lo" "2 2" "$(delta lo "$lo0")"
check_eq "carry off: vlo-c sees nothing" "0 0" "$(delta vlo-c "$c0")"

# --- on: ping crosses the device ----------------------------------------------------

check_ok "carry on" in_ns sh -c "echo 1 > $C"
check_eq "sysfs reads 1" 1 "$(in_ns cat $C)"
check_match "ip route get A still says lo" "^local $A dev lo " "$(ip -n "$N" route get $A)"
check_match "vloctl route get A says the packets cross vlo-c" \
	"carry on: packets cross vlo-c " "$("$VLOCTL" -n "$N" route get $A)"

lo0=$(frames lo)
c0=$(frames vlo-c)
in_ns sh -c 'echo 1 > /sys/class/net/vlo-c/vlo/reset'
ping_q 1 $A
check_eq "ping -c1 A: vlo-c sent and received 2 frames" "2 2" "$(delta vlo-c "$c0")"
check_eq "... and lo none" "0 0" "$(delta lo "$lo0")"
check_eq "accounting counts it once: in 2, out 2" "2 2" \
	"$(in_ns cat /sys/class/net/vlo-c/vlo/in_packets /sys/class/net/vlo-c/vlo/out_packets | xargs)"
c0=$(frames vlo-c)
ping_q 1 $A6
check_eq "ping -c1 A6: vlo-c sent and received 2 frames" "2 2" "$(delta vlo-c "$c0")"
check_eq "... and lo none (IPv6)" "0 0" "$(delta lo "$lo0")"
check_eq "accounting: in 4, out 4 after both pings" "4 4" \
	"$(in_ns cat /sys/class/net/vlo-c/vlo/in_packets /sys/class/net/vlo-c/vlo/out_packets | xargs)"

# --- tcpdump -------------------------------------------------------------------------

# tcpdump_count FILTER-ARGS... -- CMD...: frames tcpdump -i vlo-c saw while
# CMD ran.
tcpdump_count() {
	local args=() pcap out
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	pcap=$(mktemp)
	# not through in_ns: $! must be tcpdump itself, and its stdout must not
	# hold the caller's command substitution open
	timeout 60 ip netns exec "$N" tcpdump -Z root -U --immediate-mode -ni vlo-c -w "$pcap" \
		"${args[@]}" >/dev/null 2>"$pcap.err" &
	local pid=$!
	wait_for grep -q "listening on" "$pcap.err"
	"$@"
	# immediate mode: each frame is read as it comes; give the last a moment
	sleep 1
	kill -TERM "$pid"
	wait "$pid" || true
	out=$(tcpdump -nr "$pcap" 2>/dev/null | wc -l)
	rm -f "$pcap" "$pcap.err"
	echo "$out"
}
check_eq "tcpdump -i vlo-c sees ping -c1 A: request and reply, each out and in" 4 \
	"$(tcpdump_count icmp -- ping_q 1 $A)"
check_eq "tcpdump -Q in sees each frame once" 2 \
	"$(tcpdump_count -Q in icmp -- ping_q 1 $A)"
check_eq "tcpdump sees ping -c1 A6 (-Q in)" 2 \
	"$(tcpdump_count -Q in icmp6 -- ping_q 1 $A6)"

# --- nftables: the device as input and output interface, conntrack ------------------

in_ns nft -f - <<'EOF'
table inet carry {
	counter out_c { }
	counter post_c { }
	counter pre_c { }
	counter in_c { }
	counter in_lo { }
	counter out_lo { }
	counter ct_new { }
	counter ct_est { }
	chain output { type filter hook output priority 0;
		oifname "vlo-c" counter name out_c
		oifname "lo" counter name out_lo
	}
	chain postrouting { type filter hook postrouting priority 0;
		oifname "vlo-c" counter name post_c
	}
	chain prerouting { type filter hook prerouting priority 0;
		iifname "vlo-c" counter name pre_c
	}
	chain input { type filter hook input priority 0;
		iifname "vlo-c" counter name in_c
		iif "lo" counter name in_lo
		iifname "vlo-c" ct state new counter name ct_new
		iifname "vlo-c" ct state established counter name ct_est
	}
}
EOF
ping_q 3 $A
ping_q 2 $A6
for ctr in out_c post_c pre_c in_c; do
	check_eq "nft: $ctr counted the 10 frames" 10 \
		"$(nft_counter inet carry $ctr packets "$N")"
done
check_eq "nft: oif lo and iif lo saw none of them" "0 0" \
	"$(nft_counter inet carry out_lo packets "$N") $(nft_counter inet carry in_lo packets "$N")"
check_eq "conntrack: 2 new (one per ping run), 8 established" "2 8" \
	"$(nft_counter inet carry ct_new packets "$N") $(nft_counter inet carry ct_est packets "$N")"
in_ns nft delete table inet carry

# --- TCP and UDP, both ways, byte-exact ---------------------------------------------

lo0=$(frames lo)
c0=$(frames vlo-c)
check_eq "TCP and UDP over IPv4, 3 MB each way" "tcp exact udp 3000/3000" \
	"$(echo_traffic $A 3000000)"
check_eq "TCP and UDP over IPv6, 3 MB each way" "tcp exact udp 3000/3000" \
	"$(echo_traffic $A6 3000000)"
check_eq "none of it crossed lo" "0 0" "$(delta lo "$lo0")"
read -r tx rx <<<"$(delta vlo-c "$c0")"
check_eq "all of it crossed vlo-c (as many frames received as sent)" "$tx" "$rx"
check_eq "... at least the 12000 UDP frames ($tx)" 1 "$((tx >= 12000))"

# --- qdiscs act on it -----------------------------------------------------------------

# rtt ADDR: the smallest RTT of 5 pings, in whole ms (a VM the host starves
# for a moment makes one ping slow, never one fast)
rtt() { in_ns ping -c 5 -i 0.2 -W 3 "$1" | sed -n 's|^rtt [^=]*= \([0-9]*\).*|\1|p'; }
in_ns tc qdisc add dev vlo-c root netem delay 50ms
r=$(rtt $A)
check_eq "netem delay 50ms on vlo-c: RTT to A is 100 ms or more ($r)" 1 "$((r >= 100))"
check_eq "... and below 300 ms" 1 "$((r < 300))"
r=$(rtt $A6)
check_eq "... also for A6 ($r)" 1 "$((r >= 100 && r < 300))"
r=$(rtt 127.0.0.1)
check_eq "127.0.0.1 stays fast ($r)" 1 "$((r < 50))"
in_ns tc qdisc del dev vlo-c root
r=$(rtt $A)
check_eq "netem removed: A is fast again ($r)" 1 "$((r < 50))"

# --- what is not carried ------------------------------------------------------------

lo0=$(frames lo)
c0=$(frames vlo-c)
n0=$(frames vlo-n)
ping_q 1 127.0.0.1
ping_q 1 ::1
ping_q 1 10.8.0.1
ping_q 1 fd08::1
check_eq "127.0.0.1, ::1 and a carry-off device's addresses cross lo" "8 8" \
	"$(delta lo "$lo0")"
check_eq "... not vlo-c" "0 0" "$(delta vlo-c "$c0")"
check_eq "... not vlo-n" "0 0" "$(delta vlo-n "$n0")"

# from one carry device's address to another's: each direction crosses
# the device of its destination
carry vlo-d 1
c0=$(frames vlo-c)
d0=$(frames vlo-d)
ping_q 1 -I 10.7.0.1 $A
check_eq "vlo-d address to A: the request crosses vlo-c" "1 1" "$(delta vlo-c "$c0")"
check_eq "... the reply crosses vlo-d" "1 1" "$(delta vlo-d "$d0")"

# traffic from another host never crossed a loopback
carry_link "$R"
c0=$(frames vlo-c)
check_ok "another host reaches A" ip netns exec "$R" ping -c 2 -i 0.2 -W 2 -q $A
check_eq "... through its own link, not vlo-c" "0 0" "$(delta vlo-c "$c0")"
lo0=$(frames lo)
ping_q 1 192.0.2.1
check_eq "an address of another device crosses lo" "2 2" "$(delta lo "$lo0")"

# a device that is down carries nothing
ip -n "$N" link set vlo-c down
c0=$(frames vlo-c)
ping_q 1 -w 1 $A || true
check_eq "vlo-c down: nothing crosses it" "0 0" "$(delta vlo-c "$c0")"
ip -n "$N" link set vlo-c up
ip -n "$N" addr replace $A6/64 dev vlo-c nodad
check_eq "up again: carry still on" 1 "$(in_ns cat $C)"
c0=$(frames vlo-c)
ping_q 1 $A
ping_q 1 $A6
check_eq "up again: A and A6 cross vlo-c" "4 4" "$(delta vlo-c "$c0")"

# --- when what holds an address changes ------------------------------------------------

# The device that holds an IPv4 destination is remembered per CPU until an
# address, a local route or a device's carry state changes: the very next
# packet must see each change.
B=10.9.9.9
ip -n "$N" addr add $B/32 dev vlo-c
c0=$(frames vlo-c)
ping_q 1 $B
check_eq "a new address of vlo-c crosses it" "2 2" "$(delta vlo-c "$c0")"
# left_for_vlo_n ADDR NAME: ADDR, now held by vlo-n (carry off) and no longer
# by vlo-c, crosses lo and not vlo-c
left_for_vlo_n() {
	local lo0 c0
	lo0=$(frames lo)
	c0=$(frames vlo-c)
	ping_q 1 "$1"
	check_eq "$2 left vlo-c, vlo-n still holds it: it crosses lo" "2 2" "$(delta lo "$lo0")"
	check_eq "... not vlo-c" "0 0" "$(delta vlo-c "$c0")"
}
# held by vlo-n (carry off) as well, then gone from vlo-c: the local route stays
ip -n "$N" addr add $B/32 dev vlo-n
ip -n "$N" addr del $B/32 dev vlo-c
left_for_vlo_n $B B
ip -n "$N" addr del $B/32 dev vlo-n
ip -n "$N" addr add $B/32 dev vlo-d
d0=$(frames vlo-d)
ping_q 1 $B
check_eq "B moved to vlo-d (carry on): it crosses vlo-d" "2 2" "$(delta vlo-d "$d0")"
ip -n "$N" addr del $B/32 dev vlo-d
# The same for IPv6, whose owner is remembered until an IPv6 route, an
# address or a device's carry state changes (deleting an address moves no
# IPv6 route serial number: the address notifier must).
B6=fd09:9::9
ip -n "$N" addr add $B6/128 dev vlo-c nodad
c0=$(frames vlo-c)
ping_q 1 $B6
check_eq "a new IPv6 address of vlo-c crosses it" "2 2" "$(delta vlo-c "$c0")"
ip -n "$N" addr add $B6/128 dev vlo-n nodad
ip -n "$N" addr del $B6/128 dev vlo-c
left_for_vlo_n $B6 B6
ip -n "$N" addr del $B6/128 dev vlo-n
ip -n "$N" addr add $B6/128 dev vlo-c nodad
c0=$(frames vlo-c)
ping_q 1 $B6
check_eq "B6 back on vlo-c crosses it" "2 2" "$(delta vlo-c "$c0")"
ip -n "$N" addr del $B6/128 dev vlo-c
# a local route to the device makes a whole prefix its own
ip -n "$N" route add local 10.66.6.0/24 dev vlo-c
c0=$(frames vlo-c)
ping_q 1 10.66.6.7
check_eq "local route 10.66.6.0/24 dev vlo-c: 10.66.6.7 crosses vlo-c" "2 2" \
	"$(delta vlo-c "$c0")"
ip -n "$N" route del local 10.66.6.0/24 dev vlo-c
ip -n "$N" route add local 10.66.6.0/24 dev lo
c0=$(frames vlo-c)
lo0=$(frames lo)
ping_q 1 10.66.6.7
check_eq "the same prefix moved to lo: it crosses lo" "2 2" "$(delta lo "$lo0")"
check_eq "... not vlo-c" "0 0" "$(delta vlo-c "$c0")"
ip -n "$N" route del local 10.66.6.0/24 dev lo

# --- a TCP socket keeps the route it receives on ------------------------------------

# A socket keeps the route of what it receives (sk_rx_dst) while the
# route's check passes, and otherwise drops it and takes it again from the
# next segment. A carry route must pass: the IPv6 one once never did, and
# either failed after any route change of the namespace. Return probes on
# the checks (ipv4_dst_check, ip6_dst_check) record every failed one while
# 8 MB go to A, then to A6, after a route change.
T=/sys/kernel/tracing
[ -e $T/kprobe_events ] || mount -t tracefs nodev $T 2>/dev/null || true
if { echo >>$T/kprobe_events; } 2>/dev/null; then
	# shellcheck disable=SC2317 # run by on_exit
	chk_off() {
		local p
		for p in 4 6; do
			echo 0 >"$T/events/kprobes/vlo_carry_chk$p/enable"
			echo "-:vlo_carry_chk$p" >>"$T/kprobe_events"
		done 2>/dev/null
		true
	}
	on_exit chk_off
	# shellcheck disable=SC2016 # $retval is the tracer's
	echo 'r:vlo_carry_chk4 ipv4_dst_check ret=$retval:u64' >>$T/kprobe_events
	# shellcheck disable=SC2016 # $retval is the tracer's
	echo 'r:vlo_carry_chk6 ip6_dst_check ret=$retval:u64' >>$T/kprobe_events
	for p in 4 6; do
		echo 'ret == 0' >"$T/events/kprobes/vlo_carry_chk$p/filter"
		echo 1 >"$T/events/kprobes/vlo_carry_chk$p/enable"
	done
	echo 1 >$T/tracing_on
	failed() { grep -c "vlo_carry_chk$1:" $T/trace || true; }
	in_segs() { in_ns nstat -az TcpInSegs | awk '$1 == "TcpInSegs" { print $2 }'; }
	ip -n "$N" route add 10.77.0.0/24 dev vlo-n
	ip -n "$N" route add fd77::/64 dev vlo-n
	for fam in 4 6; do
		if [ $fam = 4 ]; then a=$A; else a=$A6; fi
		echo >$T/trace
		c0=$(frames vlo-c)
		s0=$(in_segs)
		in_ns python3 -S - "$a" <<'EOF'
import socket, sys, threading
srv = socket.create_server((sys.argv[1], 0), family=socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
got = []
def sink():
    c, _ = srv.accept()
    n = 0
    while (b := c.recv(1 << 16)):
        n += len(b)
    got.append(n)
t = threading.Thread(target=sink)
t.start()
with socket.create_connection(srv.getsockname()[:2], timeout=60) as cli:
    cli.sendall(bytes(8 << 20))
t.join(60)
sys.exit(0 if got == [8 << 20] else 1)
EOF
		# the last FIN's ACK may still be on its way
		sleep 0.3
		segs=$(($(in_segs) - s0))
		read -r tx _ <<<"$(delta vlo-c "$c0")"
		check_eq "TCP to carry address $a: its $segs segments crossed vlo-c" "$segs" "$tx"
		check_eq "... and the route they came with passed every socket's check" \
			0 "$(failed $fam)"
	done
	ip -n "$N" route del 10.77.0.0/24 dev vlo-n
	ip -n "$N" route del fd77::/64 dev vlo-n
	chk_off
	echo >$T/trace
else
	echo "# no kprobe events in this kernel: the sockets' route checks are not seen"
fi

# --- off again --------------------------------------------------------------------------

check_ok "carry off" in_ns sh -c "echo 0 > $C"
lo0=$(frames lo)
c0=$(frames vlo-c)
ping_q 1 $A
ping_q 1 $A6
check_eq "carry off: A and A6 cross lo again" "4 4" "$(delta lo "$lo0")"
check_match "vloctl route get A says lo again" "local address of vlo-c; packets cross lo" \
	"$("$VLOCTL" -n "$N" route get $A)"
check_eq "... not vlo-c" "0 0" "$(delta vlo-c "$c0")"

test_done
