# SPDX-License-Identifier: GPL-2.0
# Top-level build and install. The module is built by kbuild from ./Kbuild,
# the userspace by CMake (build/cmake). Everything honours DESTDIR.
#
#   make                      module + userspace
#   make install DESTDIR=/tmp/stage [PREFIX=/usr] [INSTALL_MOD_PATH=...]
#   make -C /lib/modules/$(uname -r)/build M=$PWD modules   (what dkms runs)
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
BUILD ?= build/make
INSTALL_MOD_PATH ?= $(DESTDIR)

.PHONY: all module user install install-module install-user clean
all: module user

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# An existing build directory (BUILD=build/cmake of scripts/build) is reused as configured.
user:
	test -f $(BUILD)/CMakeCache.txt || \
		cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTTCP_BUILD_TESTS=OFF
	cmake --build $(BUILD) --target sttcpd sttcpctl

install: install-module install-user

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) \
		INSTALL_MOD_DIR=extra DEPMOD=true modules_install

install-user: user
	install -D -m 0755 $(BUILD)/userspace/sttcpd $(DESTDIR)$(SBINDIR)/sttcpd
	install -D -m 0755 $(BUILD)/userspace/sttcpctl $(DESTDIR)$(SBINDIR)/sttcpctl
	install -D -m 0644 docs/man/sttcpd.8 $(DESTDIR)$(MANDIR)/man8/sttcpd.8
	install -D -m 0644 docs/man/sttcpctl.8 $(DESTDIR)$(MANDIR)/man8/sttcpctl.8
	install -D -m 0644 docs/man/sttcp.conf.5 $(DESTDIR)$(MANDIR)/man5/sttcp.conf.5
	install -D -m 0644 docs/man/sttcp-sysctl.7 $(DESTDIR)$(MANDIR)/man7/sttcp-sysctl.7
	install -D -m 0644 packaging/systemd/sttcpd.service $(DESTDIR)$(UNITDIR)/sttcpd.service
	install -D -m 0644 packaging/systemd/sttcpd@.service $(DESTDIR)$(UNITDIR)/sttcpd@.service
	install -D -m 0644 packaging/sttcp.conf.example $(DESTDIR)$(SYSCONFDIR)/sttcp/sttcp.conf.example
	install -D -m 0644 packaging/completion/sttcpctl $(DESTDIR)$(COMPLETIONDIR)/sttcpctl
	install -D -m 0644 packaging/completion/sttcpctl $(DESTDIR)$(COMPLETIONDIR)/sttcpd

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
