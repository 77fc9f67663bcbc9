# Magnet: build, run, test, bench.  `make run` and `make test` do all the
# set-up a fresh Debian 12 machine needs (see README.md).

CC	?= cc
PKGS	 = libpq libsodium libmarkdown zlib libcurl
# Kore: Debian's sources, built as kodev builds a single binary (the
# same "make objects" in KORE_SRC), here so that our warnings, the
# sanitizer build, the unit tests and the fuzzers share one Makefile.
KORE_SRC ?= /usr/share/kore
KORE_MAKE = PGSQL=1 TASKS=1 KORE_SINGLE_BINARY=1
CFLAGS	?= -O2 -g
WARN	 = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
	   -Wcast-qual -Wwrite-strings -fstack-protector-strong \
	   -D_FORTIFY_SOURCE=2 -pthread
ifdef SANITIZE
WARN	+= -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -O1
LDSAN	 = -fsanitize=$(SANITIZE)
BUILD	?= build/san
# Kore's own code under ASan (its memory is ours to misuse); UBSan would
# report its deliberate unaligned reads (net_read16 and the like).
KORE_MAKE += SANITIZE=address
KORE_CFLAGS = -fno-omit-frame-pointer
else
BUILD	?= build
endif
KOREOBJ	 = $(BUILD)/kore
KOREFEAT = -DKORE_USE_PGSQL -DKORE_USE_TASKS -DKORE_SINGLE_BINARY \
	   -I$(KORE_SRC)/include
PKGCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKGLIBS	  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(PKGCFLAGS) -Iapp
# libunistring (user names: NFKC, case folding, character properties)
# ships no pkg-config file in Debian 12.
LDLIBS	 = $(PKGLIBS) -lunistring -pthread -lm

SRCS	:= $(wildcard app/*.c)
# magnet: everything but the markdown helper's own main.
OBJS	:= $(filter-out $(BUILD)/obj/mdmain.o,$(SRCS:app/%.c=$(BUILD)/obj/%.o))
# magnet-md: the markdown broker and workers, without Kore or libpq.
MDOBJS	:= $(addprefix $(BUILD)/obj/,mdmain.o md.o md_check.o md_clean.o mdb.o \
	   buf.o html.o log.o)
# Everything but Kore's glue and the command lines: what unit tests and
# fuzzers link.
LIBOBJS	:= $(filter-out $(BUILD)/obj/main.o $(BUILD)/obj/server.o,$(OBJS))
UNITS	:= $(wildcard tests/unit/test_*.c)
UNITBINS := $(UNITS:tests/unit/%.c=$(BUILD)/unit/%)
FUZZERS	:= $(wildcard tests/fuzz/fuzz_*.c)
FUZZBINS := $(FUZZERS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
FUZZFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -pthread \
	   -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	   $(PKGCFLAGS) -Iapp
FUZZOBJS := $(filter-out build/fuzz/obj/main.o build/fuzz/obj/server.o \
	    build/fuzz/obj/mdmain.o,$(SRCS:app/%.c=build/fuzz/obj/%.o))
POS	:= $(wildcard assets/i18n/*.po)
MOS	:= $(POS:assets/i18n/%.po=build/locale/%.mo)

.PHONY: all deps run test unit http bench clean format i18n-extract \
	fuzz fuzz-build check-security check-faults check-cluster

all: $(BUILD)/magnet $(BUILD)/magnet-md $(MOS)

$(BUILD)/obj/%.o: app/%.c $(wildcard app/*.h) | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Only the glue sees Kore's headers.
$(BUILD)/obj/server.o: app/server.c $(wildcard app/*.h) \
    $(KOREOBJ)/ldflags | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) $(KOREFEAT) -c -o $@ $<

# Debian's Kore sources with one patch (patches/kore-openssl3-tls.patch:
# its TLS under OpenSSL 3), in build/kore-src.
build/kore-src/.patched: patches/kore-openssl3-tls.patch \
    $(wildcard $(KORE_SRC)/src/*.c)
	rm -rf build/kore-src
	mkdir -p build
	cp -R $(KORE_SRC) build/kore-src
	patch -s -d build/kore-src -p1 < patches/kore-openssl3-tls.patch
	touch $@

# A system call the sandbox refuses ends the whole worker (Kore then logs
# "sandbox violation" and starts another), not only the thread that made
# it: Kore's default would leave a worker running without that thread.
$(KOREOBJ)/ldflags: build/kore-src/.patched
	@mkdir -p $(KOREOBJ)
	DEB_CFLAGS_APPEND="-DSECCOMP_KILL_POLICY=SECCOMP_RET_KILL_PROCESS \
	    $(KORE_CFLAGS)" \
	    $(MAKE) -s -C build/kore-src objects \
	    OBJDIR=$(abspath $(KOREOBJ)) $(KORE_MAKE)

$(BUILD)/magnet-md: $(MDOBJS)
	$(CC) $(LDSAN) -o $@ $(MDOBJS) $$(pkg-config --libs libmarkdown zlib) \
	    -pthread

# Every parameter name a handler reads is declared by a route, and every
# name a template shows is set by something.
$(BUILD)/lint.ok: tests/lint/params.sh tests/lint/templates.sh $(SRCS) \
	    $(wildcard assets/templates/*.html)
	sh tests/lint/params.sh
	sh tests/lint/templates.sh
	touch $@

$(BUILD)/magnet: $(OBJS) $(KOREOBJ)/ldflags $(BUILD)/lint.ok
	$(CC) $(LDSAN) -o $@ $(OBJS) $(KOREOBJ)/*.o $(LDLIBS) \
	    $$(cat $(KOREOBJ)/ldflags)

$(BUILD)/unit/%: tests/unit/%.c $(LIBOBJS) | $(BUILD)/unit
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $(LDSAN) -o $@ $< \
	    $(LIBOBJS) $(LDLIBS) -lcmocka

# libFuzzer targets: each links every module but main.c, built once.
build/fuzz/obj/%.o: app/%.c $(wildcard app/*.h) | build/fuzz/obj
	clang $(FUZZFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZOBJS) | build/fuzz
	clang $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZOBJS) $(LDLIBS)

build/locale/%.mo: assets/i18n/%.po | build/locale
	msgfmt --check -o $@ $<

$(BUILD)/obj $(BUILD)/unit build/locale build/fuzz build/fuzz/obj:
	mkdir -p $@

deps:
	@sh db/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@sh db/run.sh

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SANITIZE=address,undefined all
	@sh tests/run.sh

unit: $(UNITBINS)

fuzz-build: $(FUZZBINS)

# An hour of each, two at once: make fuzz FUZZ_SECONDS=3600 FUZZ_JOBS=2
fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_JOBS)

# The full attack, fault and two-node checks (make test runs quick forms).
check-security check-faults check-cluster: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SANITIZE=address,undefined all
	@sh tests/$(@:check-%=%)/run.sh full

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh

i18n-extract:
	@sh assets/i18n/extract.sh

format:
	clang-format -i app/*.c app/*.h tests/unit/*.c

clean:
	rm -rf build
