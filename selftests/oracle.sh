#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The nftables oracle for vlo's accounting: named counters at the same hooks
# (input by destination, output by source), matching the same addresses and
# split the same way, so every vlo counter must equal its nft counter.
# Sourced by the accounting tests after lib.sh.

# oracle_add NETNS NAME ADDR...: table inet NAME counting traffic to and from
# the given addresses (IPv4 and IPv6 may be mixed).
oracle_add() {
	local netns=$1 name=$2 a v4="" v6="" dir af proto
	shift 2
	for a in "$@"; do
		case $a in
		*:*) v6+="${v6:+, }$a" ;;
		*) v4+="${v4:+, }$a" ;;
		esac
	done
	[ -z "$v4" ] || v4="elements = { $v4 }"
	[ -z "$v6" ] || v6="elements = { $v6 }"
	{
		echo "table inet $name {"
		echo "  set v4 { type ipv4_addr; $v4; }"
		echo "  set v6 { type ipv6_addr; $v6; }"
		for dir in in out; do
			for af in ipv4 ipv6; do
				for proto in icmp tcp udp other; do
					echo "  counter ${dir}_${af}_${proto} { }"
				done
			done
		done
		for dir in in out; do
			local hook=input field=daddr
			[ "$dir" = out ] && hook=output field=saddr
			echo "  chain $dir {"
			echo "    type filter hook $hook priority 0; policy accept;"
			echo "    ip $field @v4 ip protocol icmp counter name ${dir}_ipv4_icmp"
			echo "    ip $field @v4 ip protocol tcp counter name ${dir}_ipv4_tcp"
			echo "    ip $field @v4 ip protocol udp counter name ${dir}_ipv4_udp"
			echo "    ip $field @v4 ip protocol != { icmp, tcp, udp } counter name ${dir}_ipv4_other"
			echo "    ip6 $field @v6 meta l4proto ipv6-icmp counter name ${dir}_ipv6_icmp"
			echo "    ip6 $field @v6 meta l4proto tcp counter name ${dir}_ipv6_tcp"
			echo "    ip6 $field @v6 meta l4proto udp counter name ${dir}_ipv6_udp"
			echo "    ip6 $field @v6 meta l4proto != { ipv6-icmp, tcp, udp } counter name ${dir}_ipv6_other"
			echo "  }"
		done
		echo "}"
	} | ip netns exec "$netns" nft -f -
}

# oracle_values NETNS NAME: "counter=value" lines, vlo's names, sorted, with
# the four totals.
oracle_values() {
	ip netns exec "$1" nft -j list counters table inet "$2" | jq -r '
		[.nftables[] | select(.counter) | .counter] as $c |
		($c[] | "\(.name)_packets=\(.packets)", "\(.name)_bytes=\(.bytes)"),
		(["in", "out"][] as $d |
		 "\($d)_packets=\([$c[] | select(.name | startswith($d + "_")) | .packets] | add)",
		 "\($d)_bytes=\([$c[] | select(.name | startswith($d + "_")) | .bytes] | add)")' |
		sort
}

# acct_values NETNS DEV: the same lines from the device's sysfs counters.
acct_values() {
	# shellcheck disable=SC2016 # $0 is expanded by the inner shell
	ip netns exec "$1" sh -c 'cd /sys/class/net/$0/vlo && grep -H . [io]*_* | tr : =' "$2" |
		sort
}

# oracle_check DESC NETNS DEV NAME: every counter of DEV equals the oracle's.
oracle_check() {
	check_eq "$1" "$(oracle_values "$2" "$4")" "$(acct_values "$2" "$3")"
}

# vlo_ip ARGS...: ip with the plugin built in the tree (addr-split on, ...)
vlo_ip() {
	IP_LIB_DIR=$VLO_REPO/tools/ip ip "$@"
}

# oracle_reset NETNS NAME
oracle_reset() {
	ip netns exec "$1" nft reset counters table inet "$2" >/dev/null
}
