#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# carry and NFQUEUE: a user's output chain queues packets to a carry
# address to a userspace program (vlo_nfq.py, as an IPS in NFQUEUE mode),
# which reinjects them (accept), drops them, or has the chain run again
# (repeat). The chain is added after the carry device came up, at the lowest
# priority, so it runs before vlo's hook (a hook added at an equal priority
# goes first) and vlo's hook then runs on the queue entry's state; also at a
# priority after vlo's hook. IPv4 and IPv6. Each time the packets must arrive
# (or not) exactly as the verdict says, across the device, the output rules
# must see them leave on it, and then the device must be deletable at once
# and its namespace freed: vlo must not touch the devices the queue entry
# holds.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carry_lib.sh"

require_cmd nft python3 ping timeout
for m in nft_queue nfnetlink_queue; do
	modprobe -q "$m" || skip "no $m in this kernel (CONFIG_NFT_QUEUE, CONFIG_NETFILTER_NETLINK_QUEUE)"
done

carry_ns q p
P=$(ns p)
A=10.120.0.1
A6=fd00:120::1
NFQ=$VLO_REPO/selftests/vlo_nfq.py

# the namespace's cleanup is watched through a veth whose peer is in P
ip -n "$N" link add vq0 type veth peer name vq1 netns "$P"

carry_dev() { carry_vlo vlo-db 1 $A/32 $A6/128; }

# rules PRIO: a chain at PRIO that queues to queue 0 what goes to A or A6
# (unless marked 1), added now, and one at 10 that counts what leaves on
# vlo-db
rules() {
	in_ns nft -f - <<EOF
table inet q {
	counter queued { }
	counter out_db { }
	chain early { type filter hook output priority $1;
		meta mark != 1 ip daddr $A counter name queued queue num 0
		meta mark != 1 ip6 daddr $A6 counter name queued queue num 0
	}
	chain out { type filter hook output priority 10;
		oifname "vlo-db" counter name out_db
	}
}
EOF
}

# ends_within SECS CMD...: CMD, run in the background, has ended within
# SECS with success (a device whose refcount went wrong never goes: the
# command would not end, and no timeout can kill it)
# shellcheck disable=SC2317 # called through check_ok
ends_within() {
	local secs=$1 pid
	shift
	# not the caller's output: a command that never ends would hold it
	"$@" >/dev/null 2>&1 &
	pid=$!
	wait_for -t "$secs" sh -c "! kill -0 $pid 2>/dev/null" || return 1
	wait "$pid"
}

# queue_case PRIO VERDICT: two pings of A and two of A6 through the queue
queue_case() {
	local prio=$1 verdict=$2 what="priority $1, $2" log c0 queued=8 frames=8 pid
	carry_dev
	rules "$prio"
	[ "$verdict" != drop ] || { queued=4; frames=0; }
	log=$(mktemp)
	in_ns python3 -S "$NFQ" 0 "$verdict" "$queued" >"$log" &
	pid=$!
	wait_for grep -q ready "$log"
	c0=$(frames vlo-db)
	if [ "$verdict" = drop ]; then
		check_fail "$what: ping A gets no answer" ping_q 2 -W 1 $A
		check_fail "$what: ping A6 gets no answer" ping_q 2 -W 1 $A6
	else
		check_ok "$what: ping A answers" ping_q 2 $A
		check_ok "$what: ping A6 answers" ping_q 2 $A6
	fi
	wait "$pid" || true
	check_eq "$what: the reinjector answered $queued packets" "ready $verdict $queued" \
		"$(xargs <"$log")"
	rm -f "$log"
	check_eq "$what: $queued queued" "$queued" "$(nft_counter inet q queued packets "$N")"
	check_eq "$what: $frames left on vlo-db in the output rules" "$frames" \
		"$(nft_counter inet q out_db packets "$N")"
	check_eq "$what: $frames frames crossed vlo-db each way" "$frames $frames" \
		"$(delta vlo-db "$c0")"
	check_ok "$what: ip link del vlo-db returns at once" \
		ends_within 5 ip -n "$N" link del vlo-db
	in_ns nft delete table inet q
}

# before vlo's hook: the lowest priority, added after the carry hooks
queue_case -2147483648 accept
queue_case -2147483648 drop
queue_case -2147483648 repeat
# after it: the packet is queued leaving on vlo-db
queue_case 5 accept
queue_case 5 repeat

# The namespace goes: its devices are unlisted (vq1 goes with vq0), then
# the cleanup waits for their references; only when it is done does the
# cleanup of a namespace deleted after it run (vq3 goes with vq2).
ns_del q
check_ok "ip netns del: its devices go" wait_for -t 10 sh -c "! ip -n $P link show vq1"
ns_add m
ip -n "$(ns m)" link add vq2 type veth peer name vq3 netns "$P"
ns_del m
check_ok "... and its cleanup ends: the next namespace's runs" \
	wait_for -t 20 sh -c "! ip -n $P link show vq3"

test_done
