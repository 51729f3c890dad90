# tests/host/host.mk -- the GoogleTest build of the hardware-free sources.
#
# Every .cpp under the directories in HOST_SRC_DIRS is compiled for the host
# with the shim in tests/host/shim standing in for arch/x86_64, with ASan and
# UBSan. Every tests/host/**/*_test.cpp is a test file. Files whose names are
# in HOST_EXCLUDE are kernel-only (they define libc or C++ runtime symbols).

HOST_BUILD    ?= build/host
HOST_SRC_DIRS := kernel/base/lib kernel/base/heap kernel/base/page vm fs/vfs fs/ubc fs/tmpfs fs/cpio fs/dev fs/pipe fs/block fs/ffs
# fs/dev and fs/pipe: only the pure parts (line discipline, pipe ring, FIFO
# ends) run on the host; the drivers around them wait on WaitQueues and send
# signals (tests/host/shim/pipe_shim.cpp stands in for fs::open_fifo).
# fs/block: requests and the buffer cache run on the host against a fake
# disk (tests/host/fs/block/), and the virtqueue against a fake virtio
# device; md needs kernel threads and pages, virtio-blk and its PCI
# transport the hardware, and the device node and the boot attach need
# the rest of the kernel.
HOST_EXCLUDE  := kernel/base/heap/operator_new.cpp vm/fault_entry.cpp fs/vfs/poll.cpp \
                 fs/dev/tty.cpp fs/dev/null_zero.cpp fs/dev/devices.cpp fs/pipe/pipe.cpp \
                 fs/block/md.cpp fs/block/blkdev.cpp fs/block/virtio_blk.cpp \
                 fs/block/virtio_pci.cpp fs/ffs/ffs_register.cpp vm/pagedaemon.cpp
HOST_SRCS     := $(filter-out $(HOST_EXCLUDE),$(foreach d,$(HOST_SRC_DIRS),$(wildcard $(d)/*.cpp))) \
                 $(wildcard tests/host/shim/*.cpp)
HOST_TESTS    := $(shell find tests/host -name '*_test.cpp' 2>/dev/null | sort)
# Assembly that runs unchanged on the host: the user-copy loops, whose fault
# recovery tests/host/arch/usercopy_test.cpp plays with a SIGSEGV handler.
HOST_ASM_SRCS := arch/x86_64/usercopy.S
HOST_OBJS     := $(patsubst %.cpp,$(HOST_BUILD)/%.o,$(HOST_SRCS) $(HOST_TESTS)) \
                 $(patsubst %.S,$(HOST_BUILD)/%.S.o,$(HOST_ASM_SRCS))
# The FFS tools' library (C, user/tools/ffs_*.c): linked in so that the
# tests in tests/host/fs/ffs/ call newfs, fsck_ffs and dumpfs as functions.
HOST_C_SRCS   := $(sort $(wildcard user/tools/ffs_*.c))
HOST_OBJS     += $(patsubst %.c,$(HOST_BUILD)/%.o,$(HOST_C_SRCS))
HOST_BIN      := $(HOST_BUILD)/unit_tests

HOST_CXX      ?= g++
HOST_CXXFLAGS := -std=c++20 -g -O1 -Wall -Wextra -Werror -DKERNEL_HOST \
                 -fsanitize=address,undefined -fno-omit-frame-pointer \
                 -fno-sanitize-recover=undefined -fno-sanitize=vptr \
                 -I. -Iarch/include -include tests/host/shim/host_prelude.h -MMD -MP
HOST_LDFLAGS  := -fsanitize=address,undefined -lgtest -lgtest_main -pthread

$(HOST_BUILD)/%.o: %.cpp tests/host/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCXX $<"
	@$(HOST_CXX) $(HOST_CXXFLAGS) -c $< -o $@

$(HOST_BUILD)/%.S.o: %.S tests/host/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTAS  $<"
	@$(HOST_CXX) -c -MMD -MP $< -o $@

HOST_CC       ?= gcc
HOST_CFLAGS   := -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
                 -fno-omit-frame-pointer -fno-sanitize-recover=undefined -I. -MMD -MP
$(HOST_BUILD)/%.o: %.c tests/host/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_BIN): $(HOST_OBJS)
	@echo "  HOSTLD  $@"
	@$(HOST_CXX) $(HOST_OBJS) -o $@ $(HOST_LDFLAGS)

.PHONY: host-test
host-test: $(HOST_BIN)
	$(HOST_BIN)

-include $(HOST_OBJS:.o=.d)
