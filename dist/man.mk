# SPDX-License-Identifier: GPL-2.0
#
# `make man`: the man pages in build/man/man<N>/, installed by `make
# install`.
#
# Section 3, one page per function and struct of wse.h, from its
# kernel-doc comments through the kernel's scripts/kernel-doc; written
# pages (Documentation/man/): the tools in section 1, wse(4), wse-image(5),
# wse(7), with the version filled in. All land in build/man/man<N>/.
MAN_SRC := $(wildcard Documentation/man/*.[1-9])
MAN_PAGES := $(foreach p,$(MAN_SRC),$(B)/man/man$(subst .,,$(suffix $(p)))/$(notdir $(p)))
MAN3_STAMP := $(B)/man/man3/.stamp

.PHONY: man
man: $(MAN3_STAMP) $(MAN_PAGES)

$(MAN3_STAMP): libwse/include/wse/wse.h scripts/man3.sh | ktools
	@mkdir -p $(@D)
	$(TOP)/scripts/man3.sh $(KTOOLS)/scripts/kernel-doc $< $(B)/man/man3 \
		$(WSE_VERSION) >/dev/null
	@touch $@

define man_page_rule
$(B)/man/man$(subst .,,$(suffix $(1)))/$(notdir $(1)): $(1) libwse/include/wse/wse.h
	@mkdir -p $$(@D)
	sed 's/@VERSION@/$$(WSE_VERSION)/g' $$< >$$@
endef
$(foreach p,$(MAN_SRC),$(eval $(call man_page_rule,$(p))))
