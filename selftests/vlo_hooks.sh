#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vlo's netfilter hooks exist in a namespace only while it has vlo
# addresses. The proof does not take vlo's word for it: kprobes on the hook
# functions count every call (/sys/kernel/tracing/kprobe_profile), so
# traffic in a namespace without vlo addresses must not move them, and
# traffic in one with an address must move them by exactly 4 per ping
# (request and reply, each at LOCAL_OUT and LOCAL_IN). Then churn: addresses
# added and deleted under a flood, a device moved away with its address, and
# a namespace deleted with addresses in it.

source "$(dirname "$0")/lib.sh"

T=/sys/kernel/tracing
[ -e $T/kprobe_events ] || mount -t tracefs nodev $T 2>/dev/null || true
[ -e $T/kprobe_events ] || skip "no tracefs with kprobe events"

vlo_load numdevs=0
ns_add a b
A=$(ns a)
B=$(ns b)

# kprobes on vlo's two hook functions, on carry's first hook and on its
# second look in the accounting's hook; removed on exit
probes="h4:vlo_hook4 h6:vlo_hook6 c4:vlo_carry_first4 r:vlo_carry_reroute"
# shellcheck disable=SC2317 # run by on_exit
probes_off() {
	local p
	for p in $probes; do
		echo 0 > "$T/events/kprobes/vlo_hooks_${p%%:*}/enable"
		echo "-:vlo_hooks_${p%%:*}" >> "$T/kprobe_events"
	done 2>/dev/null
	true
}
on_exit probes_off
for p in $probes; do
	echo "p:vlo_hooks_${p%%:*} vlo:${p#*:}" >> $T/kprobe_events
	echo 1 > "$T/events/kprobes/vlo_hooks_${p%%:*}/enable"
done
hits() { awk '$1 == "vlo_hooks_h4" || $1 == "vlo_hooks_h6" { s += $2 } END { print s + 0 }' $T/kprobe_profile; }
# probe_hits NAME: the calls of kprobe vlo_hooks_NAME
probe_hits() { awk -v p="vlo_hooks_$1" '$1 == p { print $2 }' $T/kprobe_profile; }
pings() { # NETNS COUNT ADDR
	ip netns exec "$1" ping -c "$2" -i 0.05 -W 2 -q "$3" >/dev/null
}

ip -n "$A" link add vlo0 type vlo
ip -n "$A" link set vlo0 up
ip -n "$B" link add vlo1 type vlo
ip -n "$B" link set vlo1 up

h0=$(hits)
pings "$A" 5 127.0.0.1
pings "$B" 5 127.0.0.1
ping -c 5 -i 0.05 -W 2 -q 127.0.0.1 >/dev/null
ip netns exec "$A" ping -6 -c 5 -i 0.05 -W 2 -q ::1 >/dev/null
check_eq "vlo devices without addresses: no vlo hook runs" "$h0" "$(hits)"

ip -n "$A" addr add 10.99.0.1/32 dev vlo0
h0=$(hits)
pings "$A" 5 127.0.0.1
check_eq "with an address: 4 hook calls per ping in that namespace" "$((h0 + 20))" "$(hits)"
h0=$(hits)
pings "$B" 5 127.0.0.1
ping -c 5 -i 0.05 -W 2 -q 127.0.0.1 >/dev/null
check_eq "... and none in the namespaces without one" "$h0" "$(hits)"
pings "$A" 3 10.99.0.1
check_eq "the address counts from its first packet" "6 6" \
	"$(ip netns exec "$A" cat /sys/class/net/vlo0/vlo/in_packets) $(ip netns exec "$A" cat /sys/class/net/vlo0/vlo/out_packets)"

# quiet: pinging does not move the probes. The last address's removal
# unregisters the hooks from a work item: wait for it.
# shellcheck disable=SC2317 # run by wait_for and check_ok
quiet() {
	local h
	h=$(hits)
	pings "$1" 1 127.0.0.1
	[ "$(hits)" = "$h" ]
}
ip -n "$A" addr add fd00:99::1/128 dev vlo0
ip -n "$A" addr del 10.99.0.1/32 dev vlo0
h0=$(hits)
ip netns exec "$A" ping -6 -c 2 -i 0.05 -W 2 -q ::1 >/dev/null
check_eq "an IPv6 address alone keeps the hooks" "$((h0 + 8))" "$(hits)"
ip -n "$A" addr del fd00:99::1/128 dev vlo0
check_ok "the last address gone: the hooks go" wait_for quiet "$A"

# an IPv4 address held with two prefix lengths keeps them until the last goes
ip -n "$A" addr add 10.99.0.1/24 dev vlo0
ip -n "$A" addr add 10.99.0.1/32 dev vlo0
ip -n "$A" addr del 10.99.0.1/24 dev vlo0
h0=$(hits)
pings "$A" 1 127.0.0.1
check_eq "one of two prefix lengths gone: the hooks stay" "$((h0 + 4))" "$(hits)"
ip -n "$A" addr del 10.99.0.1/32 dev vlo0
check_ok "... the other gone too: the hooks go" wait_for quiet "$A"

# a device moved away takes its addresses, and the hooks, with it
ip -n "$A" addr add 10.99.0.5/32 dev vlo0
ip -n "$A" link set vlo0 netns "$B"
check_ok "device moved out with its address: no hooks left behind" wait_for quiet "$A"
check_ok "... and none in the namespace it went to (its address stayed behind)" quiet "$B"

# churn under a flood to 127.0.0.1 in the same namespace
ip -n "$A" link add vlo2 type vlo
ip -n "$A" link set vlo2 up
ip netns exec "$A" ping -f -q 127.0.0.1 >/dev/null 2>&1 &
flood=$!
# one ip -batch: the same 310 commands, back to back, in one process
for i in $(seq 1 100); do
	echo "addr add 10.99.1.$i/32 dev vlo2"
	echo "addr add fd00:99:1::$i/128 dev vlo2"
	echo "addr del 10.99.1.$i/32 dev vlo2"
	if [ $((i % 10)) -eq 0 ]; then
		echo "addr flush dev vlo2"
	fi
done | ip -n "$A" -force -batch -
ip -n "$A" addr flush dev vlo2
kill "$flood"
wait "$flood" 2>/dev/null || true
check_ok "100 rounds of churn under a flood, then none: the hooks go" wait_for quiet "$A"
ip -n "$A" addr add 10.99.0.9/32 dev vlo2
pings "$A" 2 10.99.0.9
check_eq "after the churn an address counts exactly" "4" \
	"$(ip netns exec "$A" cat /sys/class/net/vlo2/vlo/in_packets)"

# traffic to 127.0.0.0/8 skips the address lookup, unless a vlo device
# holds such an address: then it counts like any other (requests and
# replies, in)
ip -n "$A" addr add 127.0.0.9/32 dev vlo2
pings "$A" 2 127.0.0.9
check_eq "a loopback address on vlo2 counts too" "8" \
	"$(ip netns exec "$A" cat /sys/class/net/vlo2/vlo/in_packets)"
ip -n "$A" addr del 127.0.0.9/32 dev vlo2
pings "$A" 2 127.0.0.9
check_eq "... and, gone, no longer" "8" \
	"$(ip netns exec "$A" cat /sys/class/net/vlo2/vlo/in_packets)"

# A carry device has the hooks registered without any address: the
# accounting's LOCAL_OUT hook takes carry's second look, at a packet that
# an OUTPUT rule re-routed to a carry address, so that a packet passes one
# vlo hook there and not two. A ping to 127.0.0.1 then passes three per
# packet (carry's first and the accounting's at LOCAL_OUT, the
# accounting's at LOCAL_IN), and neither hook calls the second look.
ns_add d
D=$(ns d)
ip -n "$D" link add vlo4 type vlo
ip netns exec "$D" sh -c 'echo 1 > /sys/class/net/vlo4/vlo/carry'
ip -n "$D" link set vlo4 up
h0="$(hits) $(probe_hits c4) $(probe_hits r)"
pings "$D" 5 127.0.0.1
read -r a c r <<<"$h0"
check_eq "carry on, no address: 3 vlo hooks per packet to 127.0.0.1, no second look" \
	"$((a + 20)) $((c + 10)) $r" "$(hits) $(probe_hits c4) $(probe_hits r)"
# the second look, where no vlo address is: a local route on the device
# makes its prefix the device's (carry follows it), and an OUTPUT DNAT
# sends a ping for a dummy's subnet there
ip -n "$D" route add local 10.97.0.0/24 dev vlo4
ip -n "$D" link add hooks-x type dummy
ip -n "$D" addr add 10.66.0.2/24 dev hooks-x
ip -n "$D" link set hooks-x up
ip netns exec "$D" nft -f - <<'EOF'
table ip hooks {
	chain nat_out { type nat hook output priority -100;
		ip daddr 10.66.0.1 dnat to 10.97.0.1
	}
}
EOF
tx() { ip netns exec "$D" cat /sys/class/net/vlo4/statistics/tx_packets; }
t0=$(tx)
r0=$(probe_hits r)
check_ok "OUTPUT DNAT to a carry prefix without vlo addresses: ping answers" \
	ip netns exec "$D" ping -c 2 -i 0.2 -W 2 -q 10.66.0.1
check_eq "... the 2 requests crossed vlo4 (the replies go to 10.66.0.2, over lo)" \
	"2" "$(($(tx) - t0))"
check_eq "... the second look ran for the 4 packets on lo's route (2 requests, 2 replies)" \
	"$((r0 + 4))" "$(probe_hits r)"
ip netns exec "$D" sh -c 'echo 0 > /sys/class/net/vlo4/vlo/carry'
check_ok "carry off, no address: the hooks go" wait_for quiet "$D"
ns_del d

# a namespace deleted with addresses (and so hooks) in it
ns_add c
C=$(ns c)
ip -n "$C" link add vlo3 type vlo
ip -n "$C" link set vlo3 up
ip -n "$C" addr add 10.99.3.1/32 dev vlo3
ip -n "$C" addr add fd00:99:3::1/128 dev vlo3
pings "$C" 2 10.99.3.1
ns_del c
check_ok "a namespace with addresses deleted; the module unloads" vlo_unload

test_done
