# libFuzzer targets (included by Makefile.in). Built when clang++ exists;
# `make fuzz` runs each to FUZZ_RUNS executions (FUZZ_MAX_TIME=SECS in the
# environment stops each target there if it is slower), `make check` a
# short smoke run of each (tools/run-tests: fuzz/NAME).
#
#   build/tests/fuzz/NAME          the fuzzer (tests/fuzz/NAME_fuzz.cpp)
#   tests/fuzz/corpus/NAME/        seed corpus (committed; regenerate with
#                                  build/tests/fuzz/make_corpus tests/fuzz/corpus)

FUZZ_CXX        ?= $(shell command -v clang++ 2>/dev/null)
FUZZ_RUNS       ?= 1000000
FUZZ_SANITIZE   = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CXXFLAGS   = -std=gnu++17 -O1 -g -fno-omit-frame-pointer $(FUZZ_SANITIZE) -fsanitize=fuzzer-no-link \
                  -Idlls/secur32 -Iinclude -Itests/unit -Itests/fuzz $(GNUTLS_CFLAGS)
# The PE side's parsing, natively: Wine's Windows headers (libwine-dev).
FUZZ_WIN_CFLAGS = -I/usr/include/wine/wine/windows -Wno-pragma-pack -DWIN32_LEAN_AND_MEAN
FUZZ_NAMES      = $(basename $(notdir $(sort $(wildcard tests/fuzz/*_fuzz.cpp))))
FUZZ_BINS       = $(patsubst %_fuzz,$(B)/tests/fuzz/%,$(FUZZ_NAMES))
FUZZ_UNIX_OBJS  = $(patsubst %.cpp,$(B)/objfuzz/%.o,$(UNIX_LIB_SRCS) $(UNIT_SUPPORT))
FUZZ_LINK       = $(FUZZ_CXX) $(FUZZ_SANITIZE) -fsanitize=fuzzer

# The native unit tests again, under ASan/UBSan with leak checking
# (tools/run-tests: unit-asan/NAME): every GnuTLS object released.
ASAN_UNIT_BINS  = $(patsubst tests/unit/%.cpp,$(B)/tests/unit-asan/%,$(UNIT_SRCS))

ifneq ($(FUZZ_CXX),)
tests: $(FUZZ_BINS) $(B)/tests/fuzz/make_corpus $(ASAN_UNIT_BINS)
endif

.PHONY: fuzz fuzz-build asan-unit
asan-unit: $(ASAN_UNIT_BINS)
	$(srcdir)/tools/run-tests unit-asan/

fuzz-build: $(FUZZ_BINS) $(B)/tests/fuzz/make_corpus
fuzz: fuzz-build
	$(Q)for n in $(patsubst $(B)/tests/fuzz/%,%,$(FUZZ_BINS)); do \
	  tests/fuzz/run-fuzz $(B)/tests/fuzz/$$n $(FUZZ_RUNS) || exit 1; done

$(B)/objfuzz/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -DUNIT_TEST_NO_MAIN -MMD -MP -c -o $@ $<
$(B)/objfuzz/dlls/secur32/sec_buffers.o: dlls/secur32/sec_buffers.cpp
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) $(FUZZ_WIN_CFLAGS) -MMD -MP -c -o $@ $<
$(B)/objfuzz/tests/fuzz/sec_buffers_fuzz.o: tests/fuzz/sec_buffers_fuzz.cpp
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) $(FUZZ_WIN_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/objfuzz/tests/unit/%_test.o: tests/unit/%_test.cpp
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -MMD -MP -c -o $@ $<
$(B)/tests/unit-asan/%_test: $(B)/objfuzz/tests/unit/%_test.o $(FUZZ_UNIX_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CXX) $(FUZZ_SANITIZE) -o $@ $^ $(GNUTLS_LIBS) -lpthread

$(B)/tests/fuzz/record_framing: $(B)/objfuzz/tests/fuzz/record_framing_fuzz.o $(B)/objfuzz/dlls/secur32/unix/record_framing.o
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_LINK) -o $@ $^
$(B)/tests/fuzz/session_%: $(B)/objfuzz/tests/fuzz/session_%_fuzz.o $(FUZZ_UNIX_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_LINK) -o $@ $^ $(GNUTLS_LIBS) -lpthread
$(B)/tests/fuzz/sec_buffers: $(B)/objfuzz/tests/fuzz/sec_buffers_fuzz.o $(B)/objfuzz/dlls/secur32/sec_buffers.o
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_LINK) -o $@ $^
# The seed generator: plain native build (no fuzzer main).
$(B)/tests/fuzz/make_corpus: tests/fuzz/make_corpus.cpp $(FUZZ_UNIX_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -o $@ $^ $(FUZZ_SANITIZE) $(GNUTLS_LIBS) -lpthread

-include $(wildcard $(B)/objfuzz/dlls/secur32/*.d $(B)/objfuzz/dlls/secur32/unix/*.d $(B)/objfuzz/tests/fuzz/*.d $(B)/objfuzz/tests/unit/*.d $(B)/objfuzz/tests/unit/support/*.d)

clean: clean-fuzz
.PHONY: clean-fuzz
clean-fuzz:
	rm -rf $(B)/objfuzz $(B)/tests/fuzz $(B)/tests/unit-asan
