# SPDX-License-Identifier: GPL-2.0
#
# The kernel module outside the build tree: its source for DKMS and a
# plain modules_install.
#
#   make install-dkms            # /usr/src/wse-<version>, then dkms add/build/install
#   make module-install          # wse.ko into /lib/modules/<6.12>/updates

# What dkms.conf builds: Kbuild, driver/, uapi/ and abi/pe-dump.h, in a tree of its own
# (build/dkms/wse-<version>), as /usr/src/wse-<version> will hold it.
DKMS_SRC := $(B)/dkms/wse-$(WSE_VERSION)
DKMS_FILES := dkms.conf Kbuild abi/pe-dump.h $(wildcard driver/*.[ch] uapi/drm/*.h)

.PHONY: dkms-source install-dkms module-install
dkms-source: $(DKMS_SRC)/.stamp

$(DKMS_SRC)/.stamp: $(DKMS_FILES) dist/dkms.mk
	@rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)
	@tar -C $(TOP) -cf - $(DKMS_FILES) | tar -C $(DKMS_SRC) -xf -
	@sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(WSE_VERSION)"/' $(DKMS_SRC)/dkms.conf
	@touch $@

install-dkms: dkms-source
	@mkdir -p $(DESTDIR)/usr/src
	@rm -rf $(DESTDIR)/usr/src/wse-$(WSE_VERSION)
	cp -r $(DKMS_SRC) $(DESTDIR)/usr/src/wse-$(WSE_VERSION)
	@rm -f $(DESTDIR)/usr/src/wse-$(WSE_VERSION)/.stamp
	@echo "install-dkms: now dkms add wse/$(WSE_VERSION) && dkms install wse/$(WSE_VERSION) -k $(KVER)"

# Unsigned: Debian's headers hold no signing key (a kernel that enforces
# signatures needs DKMS's key enrolled, or the module signed by hand).
# Kbuild cannot run depmod without the kernel's System.map in the tree;
# into the running system, depmod runs here instead.
module-install: module | $(B)
	@$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates \
		CONFIG_MODULE_SIG_ALL= modules_install 2>$(B)/.module-install.err; \
	 st=$$?; grep -v "missing 'System.map'" $(B)/.module-install.err >&2; exit $$st
	$(if $(DESTDIR),,depmod $(KVER))
