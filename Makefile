# nettop — see README.md. `make run` and `make test` are all a user needs.
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
# The core (and its unit tests) links without curses; the screen adds it.
# libbpf: the BPF sampler (src/sample/bpf), built with clang and bpftool.
CORE_PKGS := libmnl libmicrohttpd libbpf
UI_PKGS   := ncursesw
PKGS    := $(CORE_PKGS) $(UI_PKGS)
CLANG   ?= clang
BPFTOOL ?= bpftool

# SAN=1: AddressSanitizer + UndefinedBehaviorSanitizer build in build-san/
ifeq ($(SAN),1)
BUILD   := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1
else
OPT     := -O2 -D_FORTIFY_SOURCE=2
endif

WARN    := -Wall -Wextra -Wformat=2 -Werror=format-security -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-unused-parameter -Werror
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=gnu11 $(WARN) -fstack-protector-strong $(SANFLAGS) -D_GNU_SOURCE -MMD -MP
# where `make install` puts the shipped themes: the screen looks there too
CFLAGS  += -DNETTOP_DATADIR='"$(PREFIX)/share/nettop"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CORE_LIBS  = $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null) -lpthread -lm
UI_LIBS    = $(shell pkg-config --libs $(UI_PKGS) 2>/dev/null)
LDFLAGS += $(SANFLAGS)

# The core builds without curses: the screen's model, sampler, views and printers.
CORE_SRC := $(wildcard src/*.c src/sample/*.c src/record/*.c src/session/*.c src/view/*.c src/print/*.c \
                     src/config/*.c src/model/*.c)
CORE_SRC := $(filter-out src/main.c,$(CORE_SRC))
# The BPF sampler: its programs (*.bpf.c) are built for the kernel with
# clang, into a skeleton header that its loader includes.
BPF_SRC  := $(wildcard src/sample/bpf/*.bpf.c)
CORE_SRC += $(filter-out $(BPF_SRC),$(wildcard src/sample/bpf/*.c))
BPF_DIR  := $(BUILD)/bpf
BPF_SKEL := $(BPF_SRC:src/sample/bpf/%.bpf.c=$(BPF_DIR)/%.skel.h)
UI_SRC   := $(wildcard src/ui/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
UI_OBJ   := $(UI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/main.o

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

ifeq ($(SAN),1)
NETTOP := $(BUILD)/nettop
else
NETTOP := nettop
endif

.PHONY: all deps deps-screenshots run test check asan fuzz bench screenshots install uninstall clean

all: $(NETTOP)

$(NETTOP): $(MAIN_OBJ) $(CORE_OBJ) $(UI_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(UI_LIBS) $(CORE_LIBS) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The kernel's types, from the running kernel's BTF (CO-RE relocates the
# program to whatever kernel loads it).
$(BPF_DIR)/vmlinux.h:
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(BPF_DIR)/%.bpf.o: src/sample/bpf/%.bpf.c src/sample/bpf/rec.h $(wildcard src/sample/bpf/*.bpf.h) $(BPF_DIR)/vmlinux.h
	$(CLANG) -g -O2 -target bpf -Wall -Werror -I$(BPF_DIR) -Isrc/sample/bpf \
		-c -o $@ $<

$(BPF_DIR)/%.skel.h: $(BPF_DIR)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name nt_$* > $@.tmp && mv $@.tmp $@

$(BUILD)/src/sample/bpf/bpf_sampler.o: CFLAGS += -I$(BPF_DIR)
$(BUILD)/src/sample/bpf/bpf_sampler.o: $(BPF_SKEL)
.SECONDARY: $(BPF_SRC:src/sample/bpf/%.bpf.c=$(BPF_DIR)/%.bpf.o)

$(BUILD)/tests/%: tests/unit/%.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(CORE_OBJ) $(LDFLAGS) $(CORE_LIBS) $(LDLIBS) -lcmocka

# Tests of what the screen draws (test_ui_*.c) link the screen too.
$(BUILD)/tests/test_ui_%: tests/unit/test_ui_%.c $(CORE_OBJ) $(UI_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(CORE_OBJ) $(UI_OBJ) $(LDFLAGS) $(UI_LIBS) \
		$(CORE_LIBS) $(LDLIBS) -lcmocka

# Installs what the build and the tests need (Debian/Ubuntu). As root it runs
# apt-get; otherwise it prints the command to run.
deps:
	@sh tests/deps.sh

run: deps all
	./$(NETTOP)

# Every suite twice: the normal build, then the ASan/UBSan build.
test: deps
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory check SAN=1

# One build's suites: unit, integration (namespaces), screen (tmux), fuzz seeds.
check: $(NETTOP) $(UNIT_BIN)
	@SAN=$(SAN) sh tests/run.sh $(NETTOP) $(UNIT_BIN)

asan: deps
	@$(MAKE) --no-print-directory check SAN=1

fuzz:
	@$(MAKE) --no-print-directory -f tests/fuzz/Makefile run

bench: all $(BUILD)/bench/history
	@sh bench/run.sh ./nettop
	@$(BUILD)/bench/history

# the history's memory over a day and its cost a sample (issue 19)
$(BUILD)/bench/history: bench/history.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(CORE_OBJ) $(LDFLAGS) $(CORE_LIBS) $(LDLIBS)

# The README's pictures: the real screen replaying tests/fixtures/recordings,
# captured with colours from tmux, through aha and headless Chromium into
# screenshots/*.png. Installs those tools first, as deps does.
deps-screenshots:
	@sh tests/deps.sh screenshots

screenshots: deps-screenshots all
	@bash tests/tools/screenshots.sh ./nettop screenshots

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/nettop/themes
	install -m 0755 nettop $(DESTDIR)$(PREFIX)/bin/nettop
	install -m 0644 man/nettop.1 $(DESTDIR)$(PREFIX)/share/man/man1/nettop.1
	for t in themes/*.theme; do [ -e "$$t" ] && install -m 0644 "$$t" $(DESTDIR)$(PREFIX)/share/nettop/themes/ || true; done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/nettop $(DESTDIR)$(PREFIX)/share/man/man1/nettop.1
	rm -rf $(DESTDIR)$(PREFIX)/share/nettop

clean:
	rm -rf build build-san nettop

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
