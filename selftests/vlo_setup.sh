#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/vlo-setup, what vlo-addresses@.service runs at boot, run directly
# (no systemd here): /etc/vlo/DEV.conf's carry, accounting, MTU and
# addresses given to a device the module created (numdevs) and to one it
# creates; the same again after a module reload, as after a reboot; a bad
# file refused before anything changes; --stop; vlo 0.2's DEV.addrs.
# (systemd-analyze verify on the units: vlo_pkg.sh and vlo_deb.sh, where
# vlo-setup is installed where systemd looks for it.)

# shellcheck disable=SC2317 # setup runs through check_ok
source "$(dirname "$0")/lib.sh"

SETUP=$VLO_REPO/tools/vlo-setup
require_cmd jq
vlo_load numdevs=0
ns_add a
N=$(ns a)
VLO_CONF_DIR=$(mktemp -d)
export VLO_CONF_DIR
on_exit rm -rf "$VLO_CONF_DIR"

setup() { ip netns exec "$N" "$SETUP" "$@"; }
# state DEV: carry, accounting, MTU, up or not, the global addresses.
state() {
	ip netns exec "$N" sh -c "cat /sys/class/net/$1/vlo/carry /sys/class/net/$1/vlo/accounting" | xargs
	ip -n "$N" -j addr show dev "$1" |
		jq -r '.[0] | "\(.mtu) \(.flags | index("UP") != null) " +
			([.addr_info[] | select(.scope == "global") | "\(.local)/\(.prefixlen)"] | join(" "))'
}

cat >"$VLO_CONF_DIR/vlo-s.conf" <<'EOF'
# a comment, then an empty line

carry on
accounting off   # a comment after a setting
mtu 1500
address 192.0.2.1/32
address 2001:db8::1/128
address 10.0.0.1/24 label vlo-s:svc
EOF
WANT="1 0
1500 true 192.0.2.1/32 10.0.0.1/24 2001:db8::1/128"

check_ok "a missing device: vlo-setup creates it" setup vlo-s
check_eq "... with the settings and addresses of vlo-s.conf" "$WANT" "$(state vlo-s)"
check_eq "... and the label" "vlo-s:svc" \
	"$(ip -n "$N" -j addr show dev vlo-s | jq -r '.[0].addr_info[] | select(.local == "10.0.0.1") | .label')"
check_ok "run again: nothing to do, no error" setup vlo-s
check_eq "... the same state" "$WANT" "$(state vlo-s)"

# The module reloaded, as after a reboot: numdevs creates the device with
# the defaults, vlo-setup gives it its settings back.
ns_del a
vlo_unload
vlo_load numdevs=0
ns_add a
N=$(ns a)
ip -n "$N" link add vlo-s type vlo
check_eq "after a reload: the defaults" "0 1
65536 false " "$(state vlo-s)"
check_ok "vlo-setup on the device that exists" setup vlo-s
check_eq "... has the settings and addresses back" "$WANT" "$(state vlo-s)"
check_eq "... and is that same device" 1 "$(ip -n "$N" -br link show type vlo | wc -l)"

ip netns exec "$N" ping -c 2 -i 0.2 -W 2 -q 192.0.2.1 >/dev/null
check_eq "accounting off from the file: nothing counted" 0 \
	"$(sysfs_counter vlo-s in_packets "$N")"

check_ok "--stop deletes the file's addresses" setup --stop vlo-s
check_eq "... and leaves the settings" "1 0
1500 true " "$(state vlo-s)"

# A bad file changes nothing, and says where it is wrong.
bad() { # NAME LINE ERROR: a file with LINE is refused with ERROR
	printf 'carry on\naddress 198.51.100.1/32\n%s\n' "$2" >"$VLO_CONF_DIR/vlo-bad.conf"
	run setup vlo-bad
	check_run "$1" 1 "" "vlo-setup: $VLO_CONF_DIR/vlo-bad.conf:3: $3"
	check_fail "$1: no device created" ip -n "$N" link show vlo-bad
}
bad "an unknown setting" "forwarding on" \
	"unknown setting 'forwarding' (carry, accounting, mtu, address)"
bad "carry maybe" "carry maybe" "'maybe' is neither on nor off"
bad "an MTU too small" "mtu 67" "mtu '67' is not a number from 68 to 65536"
bad "an address without address" "address" "address needs an address (192.0.2.1/32)"
run setup vlo-none
check_run "no file" 1 "" "vlo-setup: no $VLO_CONF_DIR/vlo-none.conf (see vlo-setup --help)"

ip -n "$N" link add vlo-d type dummy
printf 'carry on\n' >"$VLO_CONF_DIR/vlo-d.conf"
run setup vlo-d
check_run "a device of another kind is refused" 1 "" \
	"vlo-setup: vlo-d exists and is not a vlo device (dummy)"

# vlo 0.2's DEV.addrs: addresses only.
printf '# old\n198.51.100.7/32\n\n2001:db8::7/128\n' >"$VLO_CONF_DIR/vlo-old.addrs"
check_ok "vlo 0.2's vlo-old.addrs" setup vlo-old
check_eq "... its addresses, the default settings" "0 1
65536 true 198.51.100.7/32 2001:db8::7/128" "$(state vlo-old)"

test_done
