# SPDX-License-Identifier: GPL-2.0
# vlo: extra loopback interfaces for Linux. Each target is a line or two;
# the details live in scripts under tools/.

KDIR ?= $(shell tools/kdir)
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

.PHONY: all module tools check matrix demo bench stress lint install uninstall \
	dkms-install dkms-uninstall sign deb clean

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

# vloctl, and link_vlo.so: the iproute2 plugin (ip link ... type vlo).
tools:
	$(MAKE) -C tools/vloctl VERSION=$(VERSION)
	$(MAKE) -C tools/ip

# The whole suite: host unit tests, then every selftest in a QEMU VM on
# Debian's 6.1 and on its 6.12 (TESTS="vlo_acct.sh ..." for some of them,
# KERNEL=6.1, KERNEL=6.12 or KERNEL=debug for one kernel; see tools/check).
check:
	tools/check $(TESTS)

# The module built with W=1 against every Debian 12 amd64 kernel's headers.
matrix:
	tools/matrix

# Build, boot a VM, load vlo, add addresses, ping them, show the counters.
demo:
	tools/demo

bench:
	tools/bench/run

# The stress tests at ten times make check's sizes, in one VM. Its two vCPUs
# share one host thread (tcg,thread=single): with one thread per vCPU, QEMU
# once left a vCPU spinning on the jump a static key patch had just rewritten
# in ip_local_deliver, when the module load flipped netfilter's key under
# traffic on the other vCPU (a soft lockup, cycle 11 of 20).
stress: module
	VLO_VM_ACCEL=$${VLO_VM_ACCEL:-tcg,thread=single} \
	VLO_VM_TIMEOUT=14400 tools/vm/run 'cd selftests && make -s all && \
		VLO_STRESS_SCALE=10 ./vlo_stress.sh && VLO_UNLOAD_CYCLES=30 ./vlo_unload.sh'

lint:
	tools/lint

install uninstall dkms-install dkms-uninstall sign:
	tools/pkg $@

# build/deb/vlo-dkms_VERSION_all.deb and vloctl_VERSION_ARCH.deb (Debian's
# tools, packaging/debian/), then lintian on both.
deb:
	tools/deb

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/vloctl clean
	$(MAKE) -C tools/ip clean
