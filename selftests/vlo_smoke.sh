#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module loads, creates vlo0 of kind vlo, and unloads without a trace.

source "$(dirname "$0")/lib.sh"

vlo_load
check_eq "module loaded" yes "$(vlo_loaded)"
check_ok "vlo0 exists" ip link show vlo0
check_match "vlo0 is of kind vlo" "^ +vlo( |$)" "$(ip -d link show vlo0)"
vlo_unload
check_eq "module unloaded" no "$(vlo_loaded)"
check_fail "vlo0 is gone" ip link show vlo0

test_done
