# SPDX-License-Identifier: GPL-2.0
#
# Installing the stack like a vendor's: `make install` / `make uninstall`
# (scripts/install.sh) with the GNU directory variables and DESTDIR. The
# man pages are dist/man.mk's, the module (DKMS) dist/dkms.mk's.
#
#   make install DESTDIR=/tmp/stage PREFIX=/usr

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/wse
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# udev and kmod read rules and options from /usr/lib and /usr/local/lib.
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
MODPROBEDIR ?= $(PREFIX)/lib/modprobe.d
# The Python package: empty takes python3's own place for the prefix
# (/usr/lib/python3/dist-packages, /usr/local/lib/python3.X/dist-packages).
PYTHONDIR ?=
# Include files of the assembler, installed where wse-as looks.
ASM_INCLUDES := examples/gemv/dsd.wsinc

INSTALL_VARS := TOP B WSE_VERSION DESTDIR PREFIX BINDIR LIBDIR INCLUDEDIR DATADIR \
	MANDIR DOCDIR PKGCONFIGDIR UDEVRULESDIR MODPROBEDIR PYTHONDIR PYTHON ASM_INCLUDES
INSTALL_ENV = $(foreach v,$(INSTALL_VARS),$(v)='$($(v))')

.PHONY: install uninstall
install: libwse tools examples man
	@$(INSTALL_ENV) $(TOP)/scripts/install.sh install

uninstall:
	@$(INSTALL_ENV) $(TOP)/scripts/install.sh uninstall
