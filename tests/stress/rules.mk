# `make stress` (included by Makefile.in): the concurrency and memory tests
# of make check at full size (STRESS=1): 8 threads x 1,000 handshakes on
# one credential, 10,000 handshakes + transfers with flat memory, and the
# wine mutation fuzzer at 20,000 mutated inputs.
.PHONY: stress
stress: all
	STRESS=1 $(srcdir)/tools/run-tests --no-stock --timeout 3600 \
	    integration/shared_credential_threads integration/memory_flat integration/mutation_fuzz \
	    integration/hostile_peers integration/duplex_threads
