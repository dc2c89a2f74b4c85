# Included by the project's Makefiles: B, the build directory as make can
# name it.
#
# make cannot name a file whose path has a space (a checkout in
# "/tmp/xdp lua"): a target $(BUILD)/x is two targets. So targets and
# prerequisites use B: when $(BUILD) is inside the project (the default),
# the relative path from the including Makefile's directory, $(TOP)/build.
# BUILD itself, absolute and exported, is for scripts and recipes that quote
# it.
#
#   in:  TOP    the project root, relative to the including Makefile's
#               directory (., .. or ../..)
#        BUILD  the build directory, absolute (may contain spaces)
#   out: B      $(BUILD), relative to the current directory when inside
#               the project; never with a space (an error otherwise)

ifeq ($(filter /%,$(firstword $(BUILD))),)
$(error BUILD must be an absolute path, not '$(BUILD)')
endif

xdplua_root := $(abspath $(TOP))
ifneq ($(findstring |$(xdplua_root)/,|$(BUILD)),)
B := $(patsubst ./%,%,$(TOP)/$(subst |$(xdplua_root)/,,|$(BUILD)))
else
B := $(BUILD)
endif

ifneq ($(words $(B)),1)
$(error BUILD='$(BUILD)': outside the project a build directory must not contain a space)
endif

# Quiet commands: V=1 shows them; `make -s` silences the "  CC  file" lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
SAY := @:
else
SAY := @echo
endif
