# SPDX-License-Identifier: GPL-2.0
# The Makefile of xdplua-dkms's source tree, /usr/src/xdplua-VERSION (laid
# out by "make -C module dkms-source"): DKMS runs "make KVER=..." in a copy
# of it. Everything kbuild needs is in the tree: the module's sources, Lua's
# (from Debian's lua5.4 source package, when the package was built) and the
# UAPI header. For a kernel whose headers lack vmlinux and resolve_btfids
# (Debian's 6.1), scripts/kbuild-dir.sh adds them in .kbuild/, with the
# resolve_btfids the package brings: nothing is fetched.

KVER	?= $(shell uname -r)
RESOLVE_BTFIDS ?= /usr/lib/xdplua-dkms/resolve_btfids
SRC	:= $(CURDIR)

all:
	@kdir=$$(XDPLUA_RESOLVE_BTFIDS='$(RESOLVE_BTFIDS)' \
		sh scripts/kbuild-dir.sh '$(KVER)' '$(SRC)/.kbuild') || exit 1; \
	echo "$(MAKE) -C $$kdir M=$(SRC) modules"; \
	$(MAKE) -C "$$kdir" M='$(SRC)' XDPLUA_SRC='$(SRC)' \
		XDPLUA_INCLUDE='$(SRC)/include' modules

clean:
	rm -rf .kbuild
	find . \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod' \
		-o -name '*.mod.c' \) -delete
	rm -f Module.symvers modules.order

.PHONY: all clean
