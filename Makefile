# Top-level Makefile (placeholder while the kernel build is written).
.DEFAULT_GOAL := host-test
include tests/host/host.mk
