/* RAII owners for crypt32 objects. */
#pragma once

#include <windows.h>
#include <wincrypt.h>
#include <memory>

namespace secur32 {

struct cert_context_free {
    void operator()(const CERT_CONTEXT *c) const noexcept { CertFreeCertificateContext(c); }
};
struct cert_store_close {
    void operator()(void *s) const noexcept { CertCloseStore(s, 0); }
};
struct cert_chain_free {
    void operator()(const CERT_CHAIN_CONTEXT *c) const noexcept { CertFreeCertificateChain(c); }
};

using cert_context_ptr = std::unique_ptr<const CERT_CONTEXT, cert_context_free>;
using cert_store_ptr = std::unique_ptr<void, cert_store_close>;
using cert_chain_ptr = std::unique_ptr<const CERT_CHAIN_CONTEXT, cert_chain_free>;

} // namespace secur32
