# netlat build. `make` builds ./netlat (static, BPF skeletons embedded).
# `make SAN=1` builds an ASan+UBSan variant under build-san/ (dynamically linked).
# `make deps` installs missing Debian packages; `make test` runs every tier.

PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
CLANG     ?= clang
BPFTOOL   ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
VERSION   := 0.1.0

ifeq ($(SAN),1)
BUILD     ?= build-san
SANFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LINKMODE  :=
else
BUILD     ?= build
SANFLAGS  :=
LINKMODE  := -static
endif

CFLAGS    ?= -O2 -g
CFLAGS    += -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE $(SANFLAGS) \
	     -Iinclude -I$(BUILD) -I$(BUILD)/bpf \
	     $(shell pkg-config --cflags libtracefs libtraceevent 2>/dev/null) \
	     -DNETLAT_VERSION='"$(VERSION)"'
LDFLAGS   += $(SANFLAGS) $(LINKMODE)
LDLIBS    := -ltracefs -ltraceevent -lbpf -lelf -lz -lm -ldl -lpthread

BPF_SRCS  := $(wildcard src/bpf/*.bpf.c)
BPF_OBJS  := $(patsubst src/bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst src/bpf/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(BPF_SRCS))
LIB_SRCS  := $(wildcard src/*.c)
LIB_OBJS  := $(patsubst src/%.c,$(BUILD)/src/%.o,$(LIB_SRCS))
CMD_SRCS  := $(wildcard cmd/*.c)
CMD_OBJS  := $(patsubst cmd/%.c,$(BUILD)/cmd/%.o,$(CMD_SRCS))
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_BINS := $(patsubst tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))

NETLAT    := $(BUILD)/netlat

.PHONY: all clean install deps test test-unit test-live test-vm kernels-doc bench demo tools unit-bins
.DELETE_ON_ERROR:
# keep the generated vmlinux.h, BPF objects and skeletons between builds
.SECONDARY:

all: $(NETLAT) tools unit-bins
ifneq ($(SAN),1)
	@ln -sf $(NETLAT) netlat
endif

tools: $(TOOL_BINS)
unit-bins: $(UNIT_BINS)

$(BUILD)/vmlinux.h:
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

# BPF programs: compiled once per tree (they do not depend on SAN).
$(BUILD)/bpf/%.bpf.o: src/bpf/%.bpf.c $(wildcard src/bpf/*.h) $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
		-I$(BUILD) -Isrc/bpf -c $< -o $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

$(BUILD)/src/%.o: src/%.c $(wildcard include/netlat/*.h) $(wildcard src/*.h) $(wildcard src/bpf/*.h) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

# The gnuplot templates reports/*.gp, embedded into the binary as C strings.
$(BUILD)/plot_templates.h: reports/embed.sh $(wildcard reports/*.gp)
	@mkdir -p $(@D)
	sh reports/embed.sh $(wildcard reports/*.gp) > $@
$(BUILD)/src/plot_gp.o: $(BUILD)/plot_templates.h

$(BUILD)/cmd/%.o: cmd/%.c $(wildcard include/netlat/*.h) $(wildcard cmd/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libnetlat.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(NETLAT): $(CMD_OBJS) $(BUILD)/libnetlat.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJS) $(BUILD)/libnetlat.a $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libnetlat.a tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libnetlat.a $(LDLIBS)

$(BUILD)/tools/%: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -lm -lpthread

install: $(NETLAT)
	install -D -m 0755 $(NETLAT) $(DESTDIR)$(PREFIX)/bin/netlat
	install -D -m 0755 $(BUILD)/tools/netlat-load $(DESTDIR)$(PREFIX)/bin/netlat-load

deps:
	sh tests/lib/deps.sh

# Tests: `make test` = deps, both builds, every tier (tests/run-all.sh: unit live unit-san
# live-san vm), ending with one "N passed, N failed, N skipped" line. A BUILD given on the
# command line is the tested build, with $(BUILD)-san beside it for the sanitizer tiers.
ifeq ($(origin BUILD),command line)
TEST_BUILD     := $(BUILD)
TEST_SAN_BUILD := $(BUILD)-san
else
TEST_BUILD     := build
TEST_SAN_BUILD := build-san
endif
JOBS      ?= $(shell nproc 2>/dev/null || echo 1)
# Build in parallel unless the caller already runs a jobserver (make -jN test).
SUBMAKE    = $(MAKE) --no-print-directory $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(JOBS))
RUN_TIERS  = BUILD=$(TEST_BUILD) SAN_BUILD=$(TEST_SAN_BUILD) sh tests/run-all.sh

test: deps
	$(SUBMAKE) SAN=0 BUILD=$(TEST_BUILD) all
	$(SUBMAKE) SAN=1 BUILD=$(TEST_SAN_BUILD) all
	@$(RUN_TIERS)

test-unit: deps
	$(SUBMAKE) SAN=0 BUILD=$(TEST_BUILD) all
	@$(RUN_TIERS) unit

test-live: deps
	$(SUBMAKE) SAN=0 BUILD=$(TEST_BUILD) all
	@$(RUN_TIERS) live

test-vm: deps
	$(SUBMAKE) SAN=0 BUILD=$(TEST_BUILD) all
	@$(RUN_TIERS) vm

# docs/kernels.md, the support matrix: each VM kernel's `netlat probe --json` (one boot each,
# probe only) and the host's. Commit the result; the vm tier checks it on every run.
KERNELS_DIR = $(TEST_BUILD)/kernels
kernels-doc: deps
	$(SUBMAKE) SAN=0 BUILD=$(TEST_BUILD) all
	NL_VM_PROBE_ONLY=1 NL_RESULTS_DIR=$(KERNELS_DIR) sh tests/vm/run-vm.sh $(TEST_BUILD)
	$(TEST_BUILD)/netlat probe --json >$(KERNELS_DIR)/probe-host.json
	sh tools/kernels-matrix.sh doc $$(awk '!/^#/ && NF { print $$1 }' tests/vm/kernels | sort -V | \
		sed 's|.*|&=$(KERNELS_DIR)/probe-&.json|') host=$(KERNELS_DIR)/probe-host.json >docs/kernels.md.tmp
	mv docs/kernels.md.tmp docs/kernels.md

# Overhead, lost events, start-up, memory and report speed against bpftrace and perf
# (bench/run.sh; not part of `make test`; long: a 10-minute soak). BENCH_QUICK=1: a short smoke run.
# Writes bench/results/<date>.json and the generated table of docs/performance.md.
bench: deps
	$(SUBMAKE) SAN=0 BUILD=$(TEST_BUILD) $(TEST_BUILD)/netlat tools
	NETLAT=$(TEST_BUILD)/netlat NLBIN=$(TEST_BUILD)/tools BENCH_QUICK=$(BENCH_QUICK) sh bench/run.sh

# The README's first command: record real traffic from the bundled load generator, then report.
demo: deps
	$(SUBMAKE) SAN=0 BUILD=$(TEST_BUILD) all
	$(TEST_BUILD)/netlat record -- $(TEST_BUILD)/tools/netlat-load tcp-bulk -d 2s
	$(TEST_BUILD)/netlat report

clean:
	rm -rf build build-san netlat
