#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stress: the module and its devices churned while traffic flows, then the
# counters checked exactly. Complements vlo_unload.sh (a few rmmod under
# traffic that has reached every device); here:
#   1. load/unload cycles that never wait: rmmod races device creation,
#      address changes and floods to vlo addresses and to 127.0.0.1, with
#      devices in several namespaces each time;
#   2. 4 namespaces creating and deleting devices and addresses in parallel
#      while a flood to a steady device is counted against an nft oracle;
#   3. namespaces deleted while they hold vlo devices and traffic flows,
#      from inside them and from the initial namespace through veth;
#   4. devices moved between namespaces under traffic: the counters go with
#      the device, and no table entry stays behind to count twice.
# After each phase: no splat, no "waiting for vloN to become free", exact
# counters. VLO_STRESS_SCALE=N multiplies every size (make stress: 10).

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oracle.sh"

require_cmd nft jq ping python3 timeout
SCALE=${VLO_STRESS_SCALE:-1}
LOAD_CYCLES=$((2 * SCALE))
CHURN=$((10 * SCALE))
NSDEL_ROUNDS=$((1 * SCALE))
MOVES=$((4 * SCALE))
PINGS=$((100 * SCALE))
echo "# scale $SCALE: $LOAD_CYCLES load cycles, $CHURN churn rounds x 4 netns," \
	"$NSDEL_ROUNDS netns-delete rounds, $MOVES moves"

# phase_clean PHASE: nothing in the kernel log since the phase began that the
# splat patterns or a stuck unregister would match.
_phase_mark=0
_phase_t0=0
phase_start() {
	_phase_mark=$(dmesg | wc -l)
	_phase_t0=$SECONDS
	echo "vlo-selftest: $VLO_TEST phase: $1" >/dev/kmsg
}
phase_clean() {
	local new
	new=$(dmesg | tail -n +$((_phase_mark + 1)) |
		grep -E -f <(grep -v -e '^#' -e '^$' "$VLO_REPO/tools/vm/splat-patterns") \
			-e 'waiting for .* to become free' || true)
	check_eq "$1: kernel log clean" "" "$new"
	echo "# phase $1: $((SECONDS - _phase_t0)) s"
}

kill_jobs() {
	# shellcheck disable=SC2046 # one pid per word
	kill $(jobs -p) 2>/dev/null || true
	wait 2>/dev/null || true
}

# nvlo NETNS: how many vlo devices NETNS holds
nvlo() {
	ip -n "$1" -br link show type vlo | wc -l
}

# --- 1. load/unload racing everything ----------------------------------------

phase_start load-unload
ns_add l1 l2 l3
# floods to 127.0.0.1 run through every cycle
ping -f -q 127.0.0.1 >/dev/null 2>&1 &
timeout 600 python3 -S "$VLO_TRAFFIC" tcp 127.0.0.1 5101 100000000000 >/dev/null 2>&1 &
# churn_cmds I: device and address commands for one namespace's batch, which
# rmmod cuts short at a random point (ip -force goes on past the errors)
churn_cmds() {
	local k
	for k in $(seq 40); do
		echo "link add vlo-c$k type vlo"
		echo "link set vlo-c$k up"
		echo "addr add 10.102.$1.$k/32 dev vlo-c$k"
		echo "addr add fd00:102:$1::$k/128 dev vlo-c$k"
	done
}
for cycle in $(seq "$LOAD_CYCLES"); do
	vlo_load numdevs=4
	ip link set vlo0 up
	ip addr add 10.101.0.1/24 dev vlo0
	ip addr add fd00:101::1/64 dev vlo1
	cyc=()
	ping -f -q -w 30 10.101.0.1 >/dev/null 2>&1 &
	cyc+=($!)
	i=0
	for n in l1 l2 l3; do
		i=$((i + 1))
		N=$(ns $n)
		ip -n "$N" link add vlo0 type vlo
		ip -n "$N" link set vlo0 up
		ip -n "$N" addr add "10.101.$i.1/24" dev vlo0
		ip -n "$N" addr add "fd00:101:$i::1/64" dev vlo0
	done
	# all set up first: traffic makes every command slow
	for i in 1 2 3; do
		N=$(ns l$i)
		ip netns exec "$N" ping -f -q -w 30 "10.101.$i.1" >/dev/null 2>&1 &
		cyc+=($!)
		ip netns exec "$N" ping -6 -f -q -w 30 "fd00:101:$i::1" >/dev/null 2>&1 &
		cyc+=($!)
		ip netns exec "$N" timeout 30 python3 -S "$VLO_TRAFFIC" tcp "10.101.$i.1" 5102 \
			100000000000 >/dev/null 2>&1 &
		cyc+=($!)
		churn_cmds "$i" | ip -n "$N" -force -batch - >/dev/null 2>&1 &
		cyc+=($!)
	done
	# no waiting for the traffic: the unload hits whatever state it meets
	sleep "0.$((RANDOM % 10))"
	rc=0
	out=$(timeout 120 rmmod vlo 2>&1) || rc=$?
	check_eq "cycle $cycle: rmmod under traffic and churn" "0 " "$rc $out"
	_loaded_by_us=
	check_eq "cycle $cycle: module gone" no "$(vlo_loaded)"
	kill "${cyc[@]}" 2>/dev/null || true
	wait "${cyc[@]}" 2>/dev/null || true
	left=$(ip -br link show type vlo | wc -l)
	for n in l1 l2 l3; do
		left=$((left + $(nvlo "$(ns $n)")))
	done
	check_eq "cycle $cycle: no vlo device left anywhere" 0 "$left"
done
kill_jobs
check_ok "127.0.0.1 still answers after the cycles" ping -c 1 -W 5 127.0.0.1
ns_del l1 l2 l3
phase_clean "load-unload"

# --- 2. parallel device and address churn in 4 namespaces -------------------

phase_start churn
vlo_load numdevs=0
ns_add c1 c2 c3 c4
for i in 1 2 3 4; do
	N=$(ns c$i)
	ip -n "$N" link add vlo-s type vlo
	ip -n "$N" link set vlo-s up
	ip -n "$N" addr add "10.103.$i.1/24" dev vlo-s
	ip -n "$N" addr add "fd00:103:$i::1/64" dev vlo-s nodad
	oracle_add "$N" oracle "10.103.$i.1" "fd00:103:$i::1"
done
# One batch per namespace, run in parallel: devices created, addressed,
# brought up and deleted, and addresses added to and removed from the steady
# device (which gets no traffic on those).
churn_batch() {
	local i=$1 k
	for k in $(seq "$CHURN"); do
		echo "link add vlo-c$k type vlo"
		echo "link set vlo-c$k up"
		echo "addr add 10.104.$i.$k/24 dev vlo-c$k"
		echo "addr add fd00:104:$i::$k/64 dev vlo-c$k nodad"
		echo "addr add 10.105.$i.$k/32 dev vlo-s"
		echo "addr add fd00:105:$i::$k/128 dev vlo-s nodad"
		echo "link set vlo-c$k down"
		echo "addr del 10.105.$i.$k/32 dev vlo-s"
		echo "addr del fd00:105:$i::$k/128 dev vlo-s"
		[ $((k % 2)) -eq 0 ] || echo "addr del 10.104.$i.$k/24 dev vlo-c$k"
		echo "link del vlo-c$k"
	done
}
pids=()
for i in 1 2 3 4; do
	N=$(ns c$i)
	ip netns exec "$N" ping -f -q -c "$PINGS" "10.103.$i.1" >/dev/null 2>&1 &
	pids+=($!)
	ip netns exec "$N" ping -6 -f -q -c "$PINGS" "fd00:103:$i::1" >/dev/null 2>&1 &
	pids+=($!)
	churn_batch "$i" | ip -n "$N" -batch - >"/tmp/$VLO_TEST-churn$i.$$" 2>&1 &
	pids+=($!)
done
rc=0
for p in "${pids[@]}"; do
	wait "$p" || rc=$?
done
check_eq "churn batches and pings all succeeded" 0 "$rc"
for i in 1 2 3 4; do
	N=$(ns c$i)
	[ ! -s "/tmp/$VLO_TEST-churn$i.$$" ] || sed 's/^/# /' "/tmp/$VLO_TEST-churn$i.$$"
	rm -f "/tmp/$VLO_TEST-churn$i.$$"
	check_eq "c$i: only the steady device is left" "vlo-s" \
		"$(ip -n "$N" -br link show type vlo | awk '{print $1}' | xargs)"
	# (and its link-local address, which the churn does not touch)
	check_eq "c$i: steady device has its two addresses only" \
		"10.103.$i.1 fd00:103:$i::1" \
		"$(ip -n "$N" -j addr show dev vlo-s | jq -r '.[0].addr_info[] | select(.scope == "global") | .local' | xargs)"
	check_eq "c$i: ping floods counted exactly ($PINGS x 2 families x 2)" \
		"$((4 * PINGS)) $((4 * PINGS))" \
		"$(sysfs_counter vlo-s in_packets "$N") $(sysfs_counter vlo-s out_packets "$N")"
	oracle_check "c$i: every counter equals nft's" "$N" vlo-s oracle
done
phase_clean "churn"

# --- 3. namespaces deleted with vlo devices and traffic ---------------------

phase_start netns-delete
for round in $(seq "$NSDEL_ROUNDS"); do
	ns_add d1 d2 d3 d4
	inside=()
	for i in 1 2 3 4; do
		N=$(ns d$i)
		ip -n "$N" link add vlo0 type vlo
		ip -n "$N" link add vlo1 type vlo
		ip -n "$N" link set vlo0 up
		ip -n "$N" link set vlo1 up
		ip -n "$N" addr add "10.106.$i.1/24" dev vlo0
		ip -n "$N" addr add "fd00:106:$i::1/64" dev vlo1 nodad
		# reached from the initial namespace through a veth pair
		ip link add "vst-d$i" type veth peer name veth0 netns "$N"
		ip link set "vst-d$i" up
		ip -n "$N" link set veth0 up
		ip addr add "10.107.$i.1/24" dev "vst-d$i"
		ip -n "$N" addr add "10.107.$i.2/24" dev veth0
		ip route add "10.106.$i.0/24" via "10.107.$i.2"
	done
	for i in 1 2 3 4; do
		N=$(ns d$i)
		ping -f -q "10.106.$i.1" >/dev/null 2>&1 &
		ip netns exec "$N" ping -6 -f -q "fd00:106:$i::1" >/dev/null 2>&1 &
		inside+=($!)
		ip netns exec "$N" timeout 120 python3 -S "$VLO_TRAFFIC" tcp "fd00:106:$i::1" 5103 \
			100000000000 >/dev/null 2>&1 &
		inside+=($!)
	done
	check_ok "round $round: traffic counted in every namespace" wait_for -t 120 sh -c "
		for i in 1 2 3 4; do
			[ \$(ip netns exec $VLO_TEST-d\$i-$$ cat /sys/class/net/vlo0/vlo/in_packets) -gt 20 ] &&
			[ \$(ip netns exec $VLO_TEST-d\$i-$$ cat /sys/class/net/vlo1/vlo/in_packets) -gt 20 ] ||
			exit 1
		done"
	# Unmount the names, then end the processes inside: the namespaces die
	# with the devices still up and packets in flight, while the floods
	# from the initial namespace go on.
	ns_del d1 d2 d3 d4
	kill "${inside[@]}" 2>/dev/null || true
	check_ok "round $round: the veth peers went with their namespaces" wait_for -t 60 sh -c \
		"! ip -br link show type veth | grep -q '^vst-d'"
	kill_jobs
done
# rtnl_link_unregister waits for namespaces being dismantled: rmmod returns
# only once every vlo device of the deleted namespaces is freed
check_ok "rmmod after the deletions completes" timeout 120 rmmod vlo
_loaded_by_us=
phase_clean "netns-delete"

# --- 4. moves under traffic --------------------------------------------------

phase_start move
vlo_load numdevs=0
ns_add ma mb
A=$(ns ma)
B=$(ns mb)
# E stays in A and is flooded throughout; D is counted in A, then moves.
ip -n "$A" link add vlo-e type vlo
ip -n "$A" link add vlo-d type vlo
ip -n "$A" link set vlo-e up
ip -n "$A" link set vlo-d up
ip -n "$A" addr add 10.108.0.1/24 dev vlo-e
ip -n "$A" addr add 10.108.1.1/24 dev vlo-d
oracle_add "$A" oe 10.108.0.1
oracle_add "$A" od 10.108.1.1
ip netns exec "$A" ping -f -q -c $((20 * PINGS)) 10.108.0.1 >/dev/null 2>&1 &
epid=$!
ip netns exec "$A" ping -f -q -c "$PINGS" 10.108.1.1 >/dev/null 2>&1
ip -n "$A" link set vlo-d netns "$B"
check_eq "D's counters moved with it" "$(oracle_values "$A" od)" "$(acct_values "$B" vlo-d)"
check_eq "D counted $PINGS pings exactly" "$((2 * PINGS)) $((2 * PINGS))" \
	"$(sysfs_counter vlo-d in_packets "$B") $(sysfs_counter vlo-d out_packets "$B")"
ip -n "$B" link set vlo-d up
ip -n "$B" addr add 10.108.2.1/24 dev vlo-d
ip netns exec "$B" ping -f -q -c "$PINGS" 10.108.2.1 >/dev/null 2>&1
check_eq "D counts in its new namespace" "$((4 * PINGS)) $((4 * PINGS))" \
	"$(sysfs_counter vlo-d in_packets "$B") $(sysfs_counter vlo-d out_packets "$B")"

# D back and forth under its own floods, from both sides
ip netns exec "$A" ping -f -q -w 600 10.108.1.1 >/dev/null 2>&1 &
ip netns exec "$B" ping -f -q -w 600 10.108.2.1 >/dev/null 2>&1 &
for m in $(seq "$MOVES"); do
	if [ $((m % 2)) -eq 1 ]; then from=$B to=$A addr=10.108.1.1/24; else
		from=$A to=$B addr=10.108.2.1/24
	fi
	ip -n "$from" link set vlo-d netns "$to"
	ip -n "$to" link set vlo-d up
	ip -n "$to" addr add "$addr" dev vlo-d
	sleep 0.2
done
rc=0
wait "$epid" || rc=$?
check_eq "E's flood ran through the moves" 0 "$rc"
oracle_check "E's counters equal nft's after D's moves" "$A" vlo-e oe
kill_jobs
# exact again once the floods stop: a stale entry would count twice
where=$B
[ $((MOVES % 2)) -eq 0 ] || where=$A
addr=$(ip -n "$where" -j addr show dev vlo-d | jq -r '.[0].addr_info[0].local')
ip netns exec "$where" python3 -S "$VLO_WRITE" /sys/class/net/vlo-d/vlo/reset 1 >/dev/null
ip netns exec "$where" ping -f -q -c "$PINGS" "$addr" >/dev/null 2>&1
check_eq "after $MOVES moves, D counts exactly once" "$((2 * PINGS)) $((2 * PINGS))" \
	"$(sysfs_counter vlo-d in_packets "$where") $(sysfs_counter vlo-d out_packets "$where")"
check_ok "rmmod after the moves" timeout 120 rmmod vlo
_loaded_by_us=
phase_clean "move"

test_done
