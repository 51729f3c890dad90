# Makefile -- build, run and test the kernel.  See README.md.
#
#   make / make all   the kernel ISO (build/teachos.iso) and the host unit tests
#   make run          build and boot under QEMU, console on this terminal (Ctrl-A X quits)
#   make test         host unit tests + in-guest tests; last line "N passed, N failed"
#   make gdb          boot halted with QEMU's gdb stub, and attach gdb with symbols
#   make bench        benchmarks (long; never part of make test): build/bench/report.md
#                     and figures; QUICK=1 for a smoke run of a few minutes
#   make clean        remove build/
#
# Variables: ACCEL=tcg|kvm (default: probe), MEM=1G, KTEST=all (which kernel
# test cases make test runs), CMDLINE (extra kernel command-line words for run).
# Everything built goes under build/.

.DEFAULT_GOAL := all
SHELL := /bin/bash
# Build with every core unless the caller chose (make -jN).
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc)
endif
BUILD := build

# ---- tools (installed by scripts/setup.sh) ---------------------------------
KCXX := g++
KAS := g++
KLD := x86_64-linux-gnu-ld
KNM := x86_64-linux-gnu-nm

SETUP_STAMP := $(BUILD)/.setup-checked
# Re-checked on every make invocation (it is fast), so a missing tool is
# reported by name before any compiler error.
$(shell mkdir -p $(BUILD))
SETUP_RESULT := $(shell sh scripts/setup.sh >&2 && echo ok)
ifneq ($(SETUP_RESULT),ok)
$(error scripts/setup.sh failed: see the line above for what to install)
endif

# ---- the kernel -------------------------------------------------------------
KERNEL_DIRS := arch/x86_64 kernel vm fs tests/ktest
KERNEL_CXX_SRCS := $(sort $(shell find $(KERNEL_DIRS) -name '*.cpp' 2>/dev/null))
KERNEL_ASM_SRCS := boot/boot.S boot/multiboot2.S $(sort $(wildcard arch/x86_64/*.S) $(shell find tests/ktest -name "*.S"))
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(KERNEL_CXX_SRCS) $(KERNEL_ASM_SRCS))

KCXXFLAGS := -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics \
             -mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-stack-protector \
             -fno-pic -fno-pie -fno-omit-frame-pointer -fno-optimize-sibling-calls \
             -fno-asynchronous-unwind-tables \
             -fno-unwind-tables -O2 -g -Wall -Wextra -Werror -I. -Iarch/include -MMD -MP
KASFLAGS := -fno-pic -fno-pie -I. -MMD -MP
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack -T boot/linker.ld

KERNEL := $(BUILD)/kernel.elf
ISO := $(BUILD)/teachos.iso

# The list of objects, in a file rewritten only when it changes: deleting or
# adding a source file then relinks the kernel (the link depends on it).
KERNEL_OBJS_LIST := $(BUILD)/kernel.objs
$(shell mkdir -p $(BUILD) && echo '$(KERNEL_OBJS)' | cmp -s - $(KERNEL_OBJS_LIST) || \
        echo '$(KERNEL_OBJS)' > $(KERNEL_OBJS_LIST))

$(BUILD)/kernel/%.cpp.o: %.cpp Makefile
	@mkdir -p $(dir $@)
	@echo "  CXX     $<"
	@$(KCXX) $(KCXXFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: %.S Makefile
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(KAS) $(KASFLAGS) -c $< -o $@

# Two links: the first image's symbols become the .ksyms table of the second
# (for symbolized backtraces). .ksyms lies after .text/.rodata/.data, so no
# function moves; the check below makes sure of it.
$(BUILD)/ksyms-empty.S: scripts/gen-ksyms.sh
	@sh scripts/gen-ksyms.sh > $@
$(BUILD)/kernel.stage1.elf: $(KERNEL_OBJS) $(KERNEL_OBJS_LIST) $(BUILD)/ksyms-empty.S.o boot/linker.ld
	@echo "  LD      $@"
	@$(KLD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms-empty.S.o
$(BUILD)/ksyms.S: $(BUILD)/kernel.stage1.elf scripts/gen-ksyms.sh
	@NM=$(KNM) sh scripts/gen-ksyms.sh $< > $@
$(BUILD)/%.S.o: $(BUILD)/%.S
	@$(KAS) $(KASFLAGS) -c $< -o $@
$(KERNEL): $(BUILD)/kernel.stage1.elf $(BUILD)/ksyms.S.o
	@echo "  LD      $@"
	@$(KLD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.S.o
	@cmp -s <($(KNM) -n $< | grep -i ' t ') <($(KNM) -n $@ | grep -i ' t ') || \
	    { echo "error: adding .ksyms moved kernel code (see boot/linker.ld)"; rm -f $@; exit 1; }

# ---- the initramfs (docs/initramfs.md) --------------------------------------------
# mkcpio is a host tool (standard C++): a spec file in, a cpio newc archive out.
# INITRAMFS_EXTRA adds files to the archive, as HOSTFILE:/GUESTPATH words.
MKCPIO := $(BUILD)/tools/mkcpio
INITRAMFS := $(BUILD)/initramfs.cpio
INITRAMFS_EXTRA ?=
$(MKCPIO): tools/mkcpio/mkcpio.cpp Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCXX $<"
	@$(HOST_CXX) -std=c++20 -O2 -Wall -Wextra -Werror -o $@ $<
$(INITRAMFS): $(MKCPIO) scripts/mkinitramfs.sh $(wildcard /bin/busybox) \
              $(foreach x,$(INITRAMFS_EXTRA),$(firstword $(subst :, ,$(x))))
	@echo "  CPIO    $@"
	@MKCPIO=$(MKCPIO) sh scripts/mkinitramfs.sh $@ $(INITRAMFS_EXTRA) $(INITRAMFS_TESTS) $(INITRAMFS_TOOLS)

$(ISO): $(KERNEL) scripts/mkiso.sh $(INITRAMFS)
	@echo "  ISO     $@"
	@sh scripts/mkiso.sh $@ $(KERNEL) "$(CMDLINE)" $(INITRAMFS):initramfs

# ---- user programs (musl-gcc -static) ----------------------------------------------
# Programs that run in the guest, built like any Linux program (user/README.md):
#   user/tests/*_test.c  suites written with user/tests/harness.h: copied into the
#                        initramfs as /test/NAME, with /test/run-all
#                        (user/tests/run-all.sh, and what it sources:
#                        run-lib.sh), which runs them all; make test
#                        boots with it (scripts/test.sh, "in-guest user tests")
#                        -- except the suites of OWN_BOOT_TESTS, which need a boot
#                        of their own: swap_test (little memory and a swap disk:
#                        scripts/run-swap-tests.sh, user/tests/run-swap.sh)
#   user/tests/other .c  programs the kernel's process tests link in
#                        (tests/ktest/proc/user_blobs.S)
#   user/bench/*.c       benchmarks: make bench runs them (scripts/bench.sh)
USER_CC := musl-gcc
USER_CFLAGS := -static -O2 -g -Wall -Wextra -Werror -MMD -MP
USER_GUEST_TEST_SRCS := $(sort $(wildcard user/tests/*_test.c))
USER_BLOB_SRCS := $(filter-out $(USER_GUEST_TEST_SRCS),$(sort $(wildcard user/tests/*.c)))
USER_GUEST_TESTS := $(patsubst user/%.c,$(BUILD)/user/%,$(USER_GUEST_TEST_SRCS))
USER_BLOBS := $(patsubst user/%.c,$(BUILD)/user/%,$(USER_BLOB_SRCS))
USER_BENCH := $(patsubst user/%.c,$(BUILD)/user/%,$(sort $(wildcard user/bench/*.c)))
# Built with the others, but not in the initramfs's /test (run-all runs all of
# that); scripts/run-user-tests.sh skips them too.
OWN_BOOT_TESTS := $(BUILD)/user/tests/swap_test
# The initramfs's /test, as scripts/mkinitramfs.sh's HOSTFILE:/GUESTPATH words.
INITRAMFS_TESTS := $(foreach t,$(filter-out $(OWN_BOOT_TESTS),$(USER_GUEST_TESTS)),$(t):/test/$(notdir $(t))) \
                   user/tests/run-all.sh:/test/run-all user/tests/run-lib.sh:/test/run-lib

$(BUILD)/user/%: user/%.c Makefile
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	@$(USER_CC) $(USER_CFLAGS) $< -o $@

# The process tests link these programs into the kernel (.incbin).
$(BUILD)/kernel/tests/ktest/proc/user_blobs.S.o: $(USER_BLOBS)
$(INITRAMFS): $(USER_GUEST_TESTS) user/tests/run-all.sh user/tests/run-lib.sh
bench: $(USER_BENCH) $(MKCPIO)
.PHONY: user
user: $(USER_GUEST_TESTS) $(USER_BLOBS) $(USER_BENCH)
-include $(addsuffix .d,$(USER_GUEST_TESTS) $(USER_BLOBS) $(USER_BENCH))

# ---- FFS tools: newfs, fsck_ffs, dumpfs (user/tools/, docs/ffs.md) ------------------
# C programs over one small library (user/tools/ffs_*.c) and the on-image
# format header fs/ffs/ffs_format.h, built twice: for the host with gcc into
# build/tools/ (to make and check images outside the guest), and static with
# musl-gcc into build/user/tools/, which the initramfs carries as /sbin/NAME.
# The host tests link the same library (tests/host/host.mk).
HOST_CC ?= gcc
FFS_TOOLS := newfs fsck_ffs dumpfs mount_mfs
FFS_LIB_SRCS := $(sort $(wildcard user/tools/ffs_*.c))
FFS_TOOLS_DEPS := $(FFS_LIB_SRCS) $(wildcard user/tools/*.h) fs/ffs/ffs_format.h fs/mfs/mfs_args.h Makefile
FFS_TOOLS_HOST := $(addprefix $(BUILD)/tools/,$(FFS_TOOLS))
FFS_TOOLS_GUEST := $(addprefix $(BUILD)/user/tools/,$(FFS_TOOLS))
FFS_TOOLS_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -I.
INITRAMFS_TOOLS := $(foreach t,$(FFS_TOOLS_GUEST),$(t):/sbin/$(notdir $(t)))

$(FFS_TOOLS_HOST): $(BUILD)/tools/%: user/tools/%.c $(FFS_TOOLS_DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(FFS_TOOLS_CFLAGS) $< $(FFS_LIB_SRCS) -o $@
$(FFS_TOOLS_GUEST): $(BUILD)/user/tools/%: user/tools/%.c $(FFS_TOOLS_DEPS)
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@$(USER_CC) -static $(FFS_TOOLS_CFLAGS) $< $(FFS_LIB_SRCS) -o $@
$(INITRAMFS): $(FFS_TOOLS_GUEST)
bench: $(FFS_TOOLS_GUEST)  # scripts/bench.sh's FFS pass: newfs, fsck_ffs in the guest
.PHONY: tools
tools: $(FFS_TOOLS_HOST) $(FFS_TOOLS_GUEST)
all: $(FFS_TOOLS_HOST)

# ---- host unit tests ----------------------------------------------------------
include tests/host/host.mk

# ---- top-level targets ------------------------------------------------------------
.PHONY: all kernel run test gdb bench clean
all: $(ISO) $(HOST_BIN)
kernel: $(KERNEL)

# QEMU's status: 0 after Ctrl-A X, (guest status << 1) | 1 after the guest
# powers off (isa-debug-exit) -- so 1 is "init exited with status 0".
run: $(ISO)
	@bash scripts/qemu.sh --interactive $(ISO); s=$$?; [ $$s -eq 0 ] || [ $$s -eq 1 ] || exit $$s

test: $(KERNEL) $(HOST_BIN) $(INITRAMFS) $(ISO)
	@bash scripts/test.sh

gdb: $(KERNEL) $(ISO)
	@bash scripts/gdb.sh $(KERNEL) $(ISO)

# make bench QUICK=1: the smoke run (scripts/bench.sh; docs/bench.md).
bench: $(KERNEL)
	@QUICK=$(QUICK) bash scripts/bench.sh $(KERNEL)

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJS:.o=.d)
