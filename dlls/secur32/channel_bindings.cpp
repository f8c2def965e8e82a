#include "channel_bindings.h"

#include <cstring>

#include "context_buffer.h"

namespace secur32 {

SECURITY_STATUS make_channel_bindings(const char *prefix, const BYTE *data, DWORD size, SecPkgContext_Bindings *out)
{
    size_t prefix_len = strlen(prefix);
    size_t total = sizeof(SEC_CHANNEL_BINDINGS) + prefix_len + size;
    auto *bindings = static_cast<SEC_CHANNEL_BINDINGS *>(context_buffer_alloc(total));
    if (!bindings) return SEC_E_INSUFFICIENT_MEMORY;
    bindings->cbApplicationDataLength = DWORD(prefix_len + size);
    bindings->dwApplicationDataOffset = sizeof(SEC_CHANNEL_BINDINGS);
    BYTE *app = reinterpret_cast<BYTE *>(bindings + 1);
    memcpy(app, prefix, prefix_len);
    memcpy(app + prefix_len, data, size);
    out->BindingsLength = DWORD(total);
    out->Bindings = bindings;
    return SEC_E_OK;
}

SECURITY_STATUS make_endpoint_bindings(const CERT_CONTEXT *cert, SecPkgContext_Bindings *out)
{
    const char *sig = cert->pCertInfo->SignatureAlgorithm.pszObjId;
    ALG_ID hash = CALG_SHA_256;
    if (sig && (!strcmp(sig, szOID_RSA_SHA384RSA) || !strcmp(sig, szOID_ECDSA_SHA384))) hash = CALG_SHA_384;
    if (sig && (!strcmp(sig, szOID_RSA_SHA512RSA) || !strcmp(sig, szOID_ECDSA_SHA512))) hash = CALG_SHA_512;
    BYTE digest[64];
    DWORD size = sizeof(digest);
    if (!CryptHashCertificate(0, hash, 0, cert->pbCertEncoded, cert->cbCertEncoded, digest, &size))
        return SEC_E_INTERNAL_ERROR;
    return make_channel_bindings("tls-server-end-point:", digest, size, out);
}

} // namespace secur32
