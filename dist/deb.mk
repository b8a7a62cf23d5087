# SPDX-License-Identifier: GPL-2.0
#
# Debian packages (debian/): wse-dkms, libwse1, libwse-dev, wse-tools.
#
#   make deb              dpkg-buildpackage -us -uc on a copy of the tree in
#                         build/deb/, then lintian (no error allowed)
#   make check-packages   install the packages with apt in a fresh Debian 12
#                         root and build an example against them
#                         (scripts/check-packages.sh)

DEB_DIR := $(B)/deb
DEB_TREE := $(DEB_DIR)/wse-$(WSE_VERSION)

.PHONY: deb check-packages

# The copy holds what git tracks or would track (no build/, no caches).
deb:
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_TREE)
	@cd $(TOP) && git ls-files -z --cached --others --exclude-standard | \
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C $(DEB_TREE) -xf -
	cd $(DEB_TREE) && dpkg-buildpackage -us -uc
	lintian --fail-on error --info $(DEB_DIR)/wse_$(WSE_VERSION)_*.changes
	@ls $(DEB_DIR)/*.deb

check-packages: deb
	@$(TOP)/scripts/check-packages.sh $(DEB_DIR)
