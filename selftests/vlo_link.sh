#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The vlo device itself: module load and parameters, creation and deletion in
# several namespaces, moves between namespaces, flags, MTU limits, netlink
# refusals, ethtool identity, and rmmod removing every device everywhere.

source "$(dirname "$0")/lib.sh"

# --- module parameters ----------------------------------------------------

vlo_load
check_eq "numdevs default creates vlo0 only" "vlo0" \
	"$(ip -br link show type vlo | awk '{print $1}' | tr '\n' ' ' | xargs)"
check_eq "numdevs readable in sysfs" 1 "$(cat /sys/module/vlo/parameters/numdevs)"
check_eq "module version in sysfs" "$VLO_VERSION" "$(cat /sys/module/vlo/version)"
vlo_unload

vlo_load numdevs=0
check_eq "numdevs=0 creates no device" 0 "$(ip -br link show type vlo | wc -l)"
vlo_unload

vlo_load numdevs=3
check_eq "numdevs=3 creates vlo0..vlo2" "vlo0 vlo1 vlo2" \
	"$(ip -br link show type vlo | awk '{print $1}' | sort | xargs)"
vlo_unload

for bad in 1025 -1 abc 99999999999999999999 ""; do
	out=$(insmod "$VLO_KO" "numdevs=$bad" 2>&1) && rc=0 || rc=$?
	check_ne "numdevs='$bad' refuses the load" 0 "$rc"
	check_eq "numdevs='$bad' leaves no module" no "$(vlo_loaded)"
	check_match "numdevs='$bad' insmod says why" "Invalid parameters|Invalid argument|Numerical result" "$out"
done
check_match "numdevs refusal explained in the kernel log" \
	"vlo: numdevs=1025 refused: give a number from 0 to 1024" "$(dmesg | tail -n 50)"

desc=$(modinfo -F parm "$VLO_KO")
check_match "modinfo describes numdevs" "^numdevs:Number of vlo devices .*\(uint\)$" "$desc"
check_eq "modinfo license" GPL "$(modinfo -F license "$VLO_KO")"
check_eq "modinfo version" "$VLO_VERSION" "$(modinfo -F version "$VLO_KO")"
check_match "modinfo rtnl alias" "rtnl-link-vlo" "$(modinfo -F alias "$VLO_KO")"

# --- the device -----------------------------------------------------------

vlo_load
ip link set vlo0 up
line=$(ip link show vlo0 | head -n 1)
check_match "flags are NOARP,UP,LOWER_UP" "<NOARP,UP,LOWER_UP> mtu 65536 " "$line"
check_match "kind is vlo" "^ +vlo " "$(ip -d link show vlo0 | sed -n 3p)"
check_match "min/max mtu reported" "minmtu 68 maxmtu 65536" "$(ip -d link show vlo0)"
check_eq "carrier on" 1 "$(cat /sys/class/net/vlo0/carrier)"
check_eq "Ethernet type" 1 "$(cat /sys/class/net/vlo0/type)"
check_eq "no qdisc" noqueue "$(ip -j link show vlo0 | jq -r '.[0].qdisc')"
check_eq "ethtool -i driver" "driver: vlo" "$(ethtool -i vlo0 | grep '^driver:')"
check_eq "ethtool -i version" "version: $VLO_VERSION" "$(ethtool -i vlo0 | grep '^version:')"
check_eq "ethtool link detected" "Link detected: yes" "$(ethtool vlo0 | grep -o 'Link detected: yes')"
feat=$(ethtool -k vlo0)
for f in scatter-gather tx-checksumming generic-segmentation-offload \
	tcp-segmentation-offload rx-checksumming highdma; do
	check_match "offload $f on" "^$f: on" "$feat"
done
check_match "not the real loopback" "^loopback: off \[fixed\]" "$feat"
# Lockless transmit and "stays in its namespace" were feature bits until
# 6.12 made them device fields (dev->lltx, dev->netns_local), which ethtool
# does not show; there the moves below show the second.
if kernel_at_least 6 12; then
	check_eq "6.12+: tx-lockless and netns-local are no features" "" \
		"$(grep -E '^(tx-lockless|netns-local):' <<<"$feat")"
else
	check_match "offload tx-lockless on" "^tx-lockless: on \[fixed\]" "$feat"
	check_match "may change namespace" "^netns-local: off \[fixed\]" "$feat"
fi

# MTU limits, with the kernel's extack message as ip prints it.
for mtu in 68 1500 65536; do
	ip link set vlo0 mtu "$mtu"
	check_eq "mtu $mtu accepted" "$mtu" "$(cat /sys/class/net/vlo0/mtu)"
done
for mtu in 67 0; do
	out=$(ip link set vlo0 mtu "$mtu" 2>&1) && rc=0 || rc=$?
	check_ne "mtu $mtu refused" 0 "$rc"
	check_match "mtu $mtu message" "mtu less than device minimum" "$out"
done
out=$(ip link set vlo0 mtu 65537 2>&1) && rc=0 || rc=$?
check_ne "mtu 65537 refused" 0 "$rc"
check_match "mtu 65537 message" "mtu greater than device maximum" "$out"
check_eq "refused mtu left it unchanged" 65536 "$(cat /sys/class/net/vlo0/mtu)"

# --- ip link add / del in namespaces --------------------------------------

ns_add a b
for ns in a b; do
	ip -n "$(ns "$ns")" link add vlo-x type vlo
	ip -n "$(ns "$ns")" link add type vlo
	check_eq "two devices created in netns $ns" "vlo-x vlo0" \
		"$(ip -n "$(ns "$ns")" -br link show type vlo | awk '{print $1}' | sort | xargs)"
done
ip -n "$(ns a)" link add vlo-m mtu 9000 type vlo
check_eq "mtu given at creation" 9000 "$(ip -n "$(ns a)" -j link show vlo-m | jq '.[0].mtu')"
ip -n "$(ns a)" link del vlo-m
out=$(ip -n "$(ns a)" link add vlo-y mtu 67 type vlo 2>&1) && rc=0 || rc=$?
check_ne "creation with mtu 67 refused" 0 "$rc"
check_match "creation mtu message" "mtu less than device minimum" "$out"
out=$(ip -n "$(ns a)" link add vlo-y address 00:11:22 type vlo 2>&1) && rc=0 || rc=$?
check_ne "3-byte MAC refused" 0 "$rc"
check_match "3-byte MAC message" "vlo: link-layer address must be 6 bytes" "$out"
out=$(ip -n "$(ns a)" link add vlo-y address 01:00:5e:00:00:01 type vlo 2>&1) && rc=0 || rc=$?
check_ne "multicast MAC refused" 0 "$rc"
check_match "multicast MAC message" "unicast and non-zero" "$out"
out=$(ip -n "$(ns a)" link add vlo-x type vlo 2>&1) && rc=0 || rc=$?
check_ne "duplicate name refused" 0 "$rc"
check_match "duplicate name message" "File exists" "$out"
out=$(ip -n "$(ns a)" link add vlo-this-name-is-too-long type vlo 2>&1) && rc=0 || rc=$?
check_ne "overlong name refused" 0 "$rc"
check_eq "refused creations left two devices" 2 \
	"$(ip -n "$(ns a)" -br link show type vlo | wc -l)"
ip -n "$(ns a)" link set vlo-x address 02:00:00:00:00:01
check_eq "MAC changeable" 02:00:00:00:00:01 \
	"$(ip -n "$(ns a)" -j link show vlo-x | jq -r '.[0].address')"
ip -n "$(ns b)" link del vlo0
check_eq "ip link del removes it" "vlo-x" \
	"$(ip -n "$(ns b)" -br link show type vlo | awk '{print $1}' | xargs)"

# --- moving between namespaces --------------------------------------------

ip -n "$(ns a)" link add vlo-mv type vlo
ip -n "$(ns a)" link set vlo-mv netns "$(ns b)"
check_eq "device moved to netns b" "vlo-mv vlo-x" \
	"$(ip -n "$(ns b)" -br link show type vlo | awk '{print $1}' | sort | xargs)"
check_eq "device gone from netns a" "vlo-x vlo0" \
	"$(ip -n "$(ns a)" -br link show type vlo | awk '{print $1}' | sort | xargs)"
dev=vlo-mv
ip -n "$(ns b)" link set "$dev" up
ip -n "$(ns b)" addr add 10.98.0.1/24 dev "$dev"
check_eq "moved device answers ping" 0 \
	"$(ip netns exec "$(ns b)" ping -c 1 -W 2 -q 10.98.0.1 >/dev/null 2>&1; echo $?)"
check_eq "moved device: one IPv6 link-local, no router solicitation" "1 0" \
	"$(ip -n "$(ns b)" -6 addr show dev "$dev" scope link | grep -c 'inet6 fe80::') $(ip netns exec "$(ns b)" sysctl -n "net.ipv6.conf.$dev.router_solicitations")"
ip -n "$(ns b)" link set "$dev" netns 1
check_eq "moved back to the initial netns" 1 "$(ip -br link show "$dev" | wc -l)"

# --- rmmod removes every device in every namespace -------------------------

vlo_unload
check_eq "no vlo device left in init_net" 0 "$(ip -br link show type vlo | wc -l)"
for ns in a b; do
	check_eq "no vlo device left in netns $ns" 0 \
		"$(ip -n "$(ns "$ns")" -br link show type vlo | wc -l)"
done

# module autoload through the rtnl alias needs an installed module; with the
# module loaded from the tree, creation after rmmod must fail cleanly
out=$(ip link add vlo9 type vlo 2>&1) && rc=0 || rc=$?
check_ne "no kind vlo without the module" 0 "$rc"

test_done
