# Magnet: build, run, test, bench.  `make run` and `make test` do all the
# set-up a fresh Debian 12 machine needs (see README.md).

CC	?= cc
PKGS	 = libmicrohttpd libpq libsodium libmarkdown zlib
CFLAGS	?= -O2 -g
WARN	 = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
	   -Wcast-qual -Wwrite-strings -fstack-protector-strong \
	   -D_FORTIFY_SOURCE=2 -pthread
ifdef SANITIZE
WARN	+= -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -O1
LDSAN	 = -fsanitize=$(SANITIZE)
BUILD	?= build/san
else
BUILD	?= build
endif
PKGCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKGLIBS	  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(PKGCFLAGS) -Iapp
LDLIBS	 = $(PKGLIBS) -pthread -lm

SRCS	:= $(wildcard app/*.c)
OBJS	:= $(SRCS:app/%.c=$(BUILD)/obj/%.o)
LIBOBJS	:= $(filter-out $(BUILD)/obj/main.o,$(OBJS))
UNITS	:= $(wildcard tests/unit/test_*.c)
UNITBINS := $(UNITS:tests/unit/%.c=$(BUILD)/unit/%)
FUZZERS	:= $(wildcard tests/fuzz/fuzz_*.c)
FUZZBINS := $(FUZZERS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
FUZZFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -pthread \
	   -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	   $(PKGCFLAGS) -Iapp
FUZZOBJS := $(filter-out build/fuzz/obj/main.o,$(SRCS:app/%.c=build/fuzz/obj/%.o))
POS	:= $(wildcard assets/i18n/*.po)
MOS	:= $(POS:assets/i18n/%.po=build/locale/%.mo)

.PHONY: all deps run test unit http bench clean format i18n-extract \
	fuzz fuzz-build check-security check-faults check-cluster

all: $(BUILD)/magnet $(MOS)

$(BUILD)/obj/%.o: app/%.c $(wildcard app/*.h) | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/magnet: $(OBJS)
	$(CC) $(LDSAN) -o $@ $(OBJS) $(LDLIBS)

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
