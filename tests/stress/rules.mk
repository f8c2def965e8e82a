# `make stress` (included by Makefile.in): the concurrency and memory tests
# of make check at full size (STRESS=1): 8 threads x 1,000 handshakes on
# one credential, 10,000 handshakes + transfers with flat memory, and the
# wine mutation fuzzer at 100,000 mutated inputs; the hostile peers and
# duplex threads as in make check. About 15-20 minutes on 2 shared cores.
.PHONY: stress
stress: all
	STRESS=1 $(srcdir)/tools/run-tests --no-stock --timeout 3600 \
	    integration/shared_credential_threads integration/memory_flat integration/mutation_fuzz \
	    integration/hostile_peers integration/duplex_threads

# The hostile TLS peer (native; tests/hostile/, used by integration/hostile_peers).
HOSTILE_PEER    = $(B)/tests/native/hostile_peer
tests: $(HOSTILE_PEER)
$(HOSTILE_PEER): tests/hostile/hostile_peer.cpp
	@mkdir -p $(dir $@)
	$(Q)$(CXX) -std=gnu++17 -O1 -g -Wall -Wextra $(GNUTLS_CFLAGS) -o $@ $< $(GNUTLS_LIBS)
