#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vlo with the routing daemons an operator runs (Debian 12: FRR 8.4, BIRD 2),
# each started by its own command line in the test's namespaces, no systemd.
# Two routers joined by a veth: r2 learns every /32 and /128 of r1's vlo
# devices over OSPFv2 and OSPFv3 (configured as for lo or a dummy: a passive
# or stub interface, nothing more), pings them, sees the same routes after
# carry on, and loses them when a device is deleted or set down. The router
# ID comes from a vlo address with the one line README gives. FRR's bgpd
# holds an iBGP session between the routers' vlo0 addresses
# (update-source vlo0) and advertises an address of another vlo device.

# shellcheck disable=SC2317 # the helpers run through wait_for and check_ok
source "$(dirname "$0")/lib.sh"

FRR=/usr/lib/frr
require_cmd bird birdc jq ss
[ -x "$FRR/zebra" ] || skip "FRR not installed (tools/install-deps)"

vlo_load numdevs=0
TMP=$(mktemp -d)
chmod 755 "$TMP"
on_exit rm -rf "$TMP"

# Hello every second, a neighbour dead after 4: convergence in seconds.
DEAD=4
# r1's vlo addresses OSPF advertises; r2's vlo0 is the far end of BGP.
R1_V4=(10.0.0.9 10.0.0.19)
R1_V6=(fd00:aa::1 fd00:aa::11)
R2_LO4=10.0.0.10
R2_LO6=fd00:bb::1

# --- the two routers ------------------------------------------------------------

# routers: fresh namespaces r1, r2, a veth between them, r1's vlo0 and
# vlo1 (and vlo9 outside OSPF, for BGP), r2's vlo0.
routers() {
	local n
	ns_add r1 r2
	for n in r1 r2; do
		# no DAD on the veth: OSPFv3 waits for its link-local address
		ip netns exec "$(ns $n)" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
			net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	done
	ip -n "$(ns r1)" link add veth-r1 type veth peer name veth-r2 netns "$(ns r2)"
	ip -n "$(ns r1)" addr add 10.0.12.1/24 dev veth-r1
	ip -n "$(ns r2)" addr add 10.0.12.2/24 dev veth-r2
	ip -n "$(ns r1)" link add vlo0 type vlo
	ip -n "$(ns r1)" link add vlo1 type vlo
	ip -n "$(ns r1)" link add vlo9 type vlo
	ip -n "$(ns r2)" link add vlo0 type vlo
	ip -n "$(ns r1)" addr add 10.0.0.9/32 dev vlo0
	ip -n "$(ns r1)" addr add fd00:aa::1/128 dev vlo0
	ip -n "$(ns r1)" addr add 10.0.0.19/32 dev vlo1
	ip -n "$(ns r1)" addr add fd00:aa::11/128 dev vlo1
	ip -n "$(ns r1)" addr add 10.77.0.1/32 dev vlo9
	ip -n "$(ns r2)" addr add $R2_LO4/32 dev vlo0
	ip -n "$(ns r2)" addr add $R2_LO6/128 dev vlo0
	for n in r1 r2; do
		ip -n "$(ns $n)" link set "veth-$n" up
		ip -n "$(ns $n)" link set vlo0 up
	done
	ip -n "$(ns r1)" link set vlo1 up
	ip -n "$(ns r1)" link set vlo9 up
}

# learned_by R ADDR: router R's FIB has a route for ADDR's /32 or /128
# through its veth.
learned_by() {
	local family=-4 plen=32
	[[ $2 != *:* ]] || { family=-6; plen=128; }
	ip -n "$(ns "$1")" "$family" route show exact "$2/$plen" | grep -q "dev veth-$1"
}
learned() { learned_by r2 "$1"; }
all_learned() { local a; for a in "$@"; do learned "$a" || return 1; done; }
# r2's IPv6 pings leave from its only global address, vlo0's: r1 answers
# them once it has learned that /128 in turn.
r1_learned_r2() { learned_by r1 "$R2_LO4" && learned_by r1 "$R2_LO6"; }
none_learned() { local a; for a in "$@"; do ! learned "$a" || return 1; done; }

# vlo0_routes: r2's routes to r1's vlo0 addresses.
vlo0_routes() {
	ip -n "$(ns r2)" route show exact 10.0.0.9/32
	ip -n "$(ns r2)" -6 route show exact fd00:aa::1/128
}

# pings_from_r2 ADDR...: each answers a ping from r2.
pings_from_r2() {
	local a
	for a in "$@"; do
		ip netns exec "$(ns r2)" ping -c 1 -W 2 -q "$a" >/dev/null || return 1
	done
}

# show_state: r2's routes, after a failed check.
show_state() {
	echo "# r2's routes after ${SECONDS}s:"
	{ ip -n "$(ns r2)" route; ip -n "$(ns r2)" -6 route; } | sed 's/^/#   /'
}

# The checks both daemons pass. Generous bounds: the daemons are slow to
# start under TCG on a loaded host, and BIRD advertises a stub interface of
# vlo or a dummy (both NBMA to BIRD) after its wait time, 40 s by default.
common_checks() {
	local who=$1 failed=$_failed before

	check_ok "$who: r2 learns r1's vlo /32s over OSPFv2" \
		wait_for -t 120 all_learned "${R1_V4[@]}"
	check_ok "$who: r2 learns r1's vlo /128s over OSPFv3" \
		wait_for -t 120 all_learned "${R1_V6[@]}"
	check_ok "$who: r1 learns r2's vlo /32 and /128, the way back" \
		wait_for -t 120 r1_learned_r2
	check_ok "$who: r2 pings every learned vlo address" \
		pings_from_r2 "${R1_V4[@]}" "${R1_V6[@]}"

	# carry on changes no address, flag or route the daemon sees. vlo1 is
	# deleted after it: once r2 has lost vlo1's routes, r1's daemon has
	# seen everything carry on did, and vlo0's routes must be as before.
	before=$(vlo0_routes)
	ip netns exec "$(ns r1)" sh -c 'echo 1 > /sys/class/net/vlo0/vlo/carry; echo 1 > /sys/class/net/vlo1/vlo/carry'
	ip -n "$(ns r1)" link del vlo1
	check_ok "$who: vlo1 (carry on) deleted: its /32 and /128 are withdrawn" \
		wait_for -t 90 none_learned 10.0.0.19 fd00:aa::11
	check_eq "$who: carry on: r2's routes to vlo0 are unchanged" "$before" "$(vlo0_routes)"
	check_ok "$who: carry on: r2 pings vlo0's addresses" pings_from_r2 10.0.0.9 fd00:aa::1
	[ "$_failed" = "$failed" ] || show_state
}

# down_checks WHO: vlo0 set down, its routes go.
down_checks() {
	ip -n "$(ns r1)" link set vlo0 down
	check_ok "$1: vlo0 down: 10.0.0.9/32 and fd00:aa::1/128 are withdrawn" \
		wait_for -t 90 none_learned 10.0.0.9 fd00:aa::1
}

# ns_stop NAME: stop what the test started in namespace NAME, then delete it.
ns_stop() {
	ip netns pids "$(ns "$1")" | xargs -r kill
	ns_del "$1"
}

# --- FRR --------------------------------------------------------------------------

# frr_conf R ID: the daemons' configuration files of router R in $TMP/R.
# vlo0 and vlo1 are set up as an operator sets up lo or a dummy.
frr_conf() {
	local r=$1 id=$2 peer=$3 d=$TMP/$1 ifs
	mkdir -p "$d"
	ifs=vlo0
	[ "$r" = r2 ] || ifs="vlo0 vlo1"
	# the line README gives: the router ID from a vlo address
	printf 'hostname %s\nrouter-id %s\n' "$r" "$id" >"$d/zebra.conf"
	{
		printf 'interface veth-%s\n ip ospf area 0\n ip ospf network point-to-point\n' "$r"
		printf ' ip ospf hello-interval 1\n ip ospf dead-interval %s\n' $DEAD
		for i in $ifs; do printf 'interface %s\n ip ospf area 0\n ip ospf passive\n' "$i"; done
		printf 'router ospf\n'
	} >"$d/ospfd.conf"
	{
		printf 'interface veth-%s\n ipv6 ospf6 area 0\n ipv6 ospf6 network point-to-point\n' "$r"
		printf ' ipv6 ospf6 hello-interval 1\n ipv6 ospf6 dead-interval %s\n' $DEAD
		for i in $ifs; do printf 'interface %s\n ipv6 ospf6 area 0\n ipv6 ospf6 passive\n' "$i"; done
		printf 'router ospf6\n'
	} >"$d/ospf6d.conf"
	{
		printf 'router bgp 65000\n neighbor %s remote-as 65000\n' "$peer"
		# keepalive and hold as by default: a hold time of seconds
		# expires on a loaded TCG host
		printf ' neighbor %s update-source vlo0\n' "$peer"
		printf ' neighbor %s timers connect 1\n' "$peer"
		[ "$r" = r2 ] || printf ' address-family ipv4 unicast\n  network 10.77.0.1/32\n'
	} >"$d/bgpd.conf"
}

# frr_start R: zebra, ospfd, ospf6d and bgpd of router R, sockets, pid
# and log files in $TMP/R. They run as the frr user (as root, FRR wants
# root in the frrvty group).
frr_start() {
	local d=$TMP/$1 daemon
	chown -R frr:frr "$d"
	for daemon in zebra ospfd ospf6d bgpd; do
		# what it says before its log is open (zebra: no MPLS) too
		ip netns exec "$(ns "$1")" "$FRR/$daemon" -d \
			-f "$d/$daemon.conf" -i "$d/$daemon.pid" -z "$d/zserv.api" \
			--vty_socket "$d" -A 127.0.0.1 -P 0 --log "file:$d/$daemon.log" \
			2>>"$d/$daemon.log" || { cat "$d/$daemon.log"; return 1; }
		[ "$daemon" != zebra ] || wait_for test -S "$d/zserv.api"
	done
}

# bgp_between LOCAL PEER: r2 has an established BGP session, from LOCAL
# to PEER and nothing else.
bgp_between() {
	[ "$(ip netns exec "$(ns r2)" ss -Htn state established '( sport = :179 or dport = :179 )' |
		awk '{sub(/:[0-9]+$/, "", $3); sub(/:[0-9]+$/, "", $4); print $3, $4}')" = "$1 $2" ]
}

# vty R CMD: a show command in router R's daemons.
vty() { ip netns exec "$(ns "$1")" vtysh --vty_socket "$TMP/$1" -c "$2"; }

routers
frr_conf r1 10.0.0.9 $R2_LO4
frr_conf r2 $R2_LO4 10.0.0.9
frr_start r1
frr_start r2

common_checks FRR
check_eq "FRR: router-id in zebra: ospfd's router ID is vlo0's address" 10.0.0.9 \
	"$(vty r1 'show ip ospf json' | jq -r .routerId)"
check_eq "FRR: router-id in zebra: ospf6d's router ID is vlo0's address" 10.0.0.9 \
	"$(vty r1 'show ipv6 ospf6 json' | jq -r .routerId)"

# BGP between the vlo0 addresses, the prefix of vlo9 (not in OSPF).
check_ok "FRR: r2 learns 10.77.0.1/32 over iBGP" \
	wait_for -t 90 sh -c "ip -n $(ns r2) route show exact 10.77.0.1/32 proto bgp | grep -q ."
check_ok "FRR: the BGP session runs between the vlo0 addresses" \
	wait_for -t 60 bgp_between $R2_LO4 10.0.0.9
check_ok "FRR: r2 pings the BGP-learned vlo address" pings_from_r2 10.77.0.1

down_checks FRR
ns_stop r1
ns_stop r2

# --- BIRD -------------------------------------------------------------------------

# bird_conf R: router R's configuration in $TMP/R/bird.conf. The vlo
# devices are stub interfaces, as an operator writes for a dummy.
bird_conf() {
	local d=$TMP/$1
	mkdir -p "$d"
	cat >"$d/bird.conf" <<-EOF
	log "$d/bird.log" all;
	router id from "vlo*";
	protocol device { }
	protocol kernel { ipv4 { export all; }; }
	protocol kernel { ipv6 { export all; }; }
	protocol ospf v2 {
		ipv4 { import all; };
		area 0 {
			interface "veth-*" { type ptp; hello 1; dead $DEAD; };
			interface "vlo*" { stub yes; };
		};
	}
	protocol ospf v3 {
		ipv6 { import all; };
		area 0 {
			interface "veth-*" { type ptp; hello 1; dead $DEAD; };
			interface "vlo*" { stub yes; };
		};
	}
	EOF
}

bird_start() {
	local d=$TMP/$1
	ip netns exec "$(ns "$1")" bird -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid"
}

routers
ip -n "$(ns r1)" link del vlo9
# r1's lowest address is a dummy's: BIRD's default router ID, not a vlo's
ip -n "$(ns r1)" link add dum0 up type dummy
ip -n "$(ns r1)" addr add 10.0.0.1/32 dev dum0
bird_conf r1
bird_conf r2
bird_start r1
bird_start r2

common_checks BIRD
check_match "BIRD: router id from \"vlo*\": the router ID is vlo0's address" \
	"^Router ID is 10\.0\.0\.9$" \
	"$(ip netns exec "$(ns r1)" birdc -s "$TMP/r1/bird.ctl" show status)"
down_checks BIRD

test_done
