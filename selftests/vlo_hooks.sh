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

# kprobes on vlo's two hook functions, removed on exit
# shellcheck disable=SC2317 # run by on_exit
probes_off() {
	echo 0 > "$T/events/kprobes/vlo_hooks_h4/enable" 2>/dev/null
	echo 0 > "$T/events/kprobes/vlo_hooks_h6/enable" 2>/dev/null
	echo '-:vlo_hooks_h4' >> "$T/kprobe_events" 2>/dev/null
	echo '-:vlo_hooks_h6' >> "$T/kprobe_events" 2>/dev/null
	true
}
on_exit probes_off
echo 'p:vlo_hooks_h4 vlo:vlo_hook4' >> $T/kprobe_events
echo 'p:vlo_hooks_h6 vlo:vlo_hook6' >> $T/kprobe_events
echo 1 > $T/events/kprobes/vlo_hooks_h4/enable
echo 1 > $T/events/kprobes/vlo_hooks_h6/enable
hits() { awk '$1 == "vlo_hooks_h4" || $1 == "vlo_hooks_h6" { s += $2 } END { print s + 0 }' $T/kprobe_profile; }
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
