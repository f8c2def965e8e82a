/* UTF-16 to ANSI conversion of attribute results (see context_attributes.h). */
#include "context_attributes.h"

#include <string.h>

#include "context_buffer.h"

namespace secur32 {

namespace {

/* Bytes WideCharToMultiByte needs for `w` including its terminator. */
size_t ansi_size(const wchar_t *w)
{
    if (!w) return 0;
    int n = WideCharToMultiByte(CP_ACP, 0, w, -1, nullptr, 0, nullptr, nullptr);
    return n > 0 ? size_t(n) : 1;
}

char *put_ansi(const wchar_t *w, char *dest, size_t size)
{
    if (!w) return nullptr;
    if (!WideCharToMultiByte(CP_ACP, 0, w, -1, dest, int(size), nullptr, nullptr)) dest[0] = 0;
    return dest;
}

/* A context buffer holding the ANSI form of `w`; `ok` turns false on
 * allocation failure (a null `w` gives null and stays ok). */
char *ansi_copy(const wchar_t *w, bool &ok)
{
    if (!w) return nullptr;
    size_t size = ansi_size(w);
    char *out = static_cast<char *>(context_buffer_alloc(size));
    if (!out) {
        ok = false;
        return nullptr;
    }
    return put_ansi(w, out, size);
}

/* Converts the string members of a structure: fetches the W form into `w`,
 * lets `convert` fill `a`, then frees the W strings listed by `strings`. */
template <typename W, typename Convert, typename Strings>
SECURITY_STATUS convert_strings(void *buffer, ULONG attribute, const attribute_query &query_w, Convert convert,
                                Strings strings)
{
    W w;
    memset(&w, 0, sizeof(w));
    SECURITY_STATUS status = query_w(attribute, &w);
    if (status != SEC_E_OK) return status;
    bool ok = true;
    convert(w, ok);
    strings(w, [](void *p) { context_buffer_free(p); });
    return ok ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

} // namespace

bool context_attribute_is_string_free(ULONG attribute)
{
    switch (attribute) {
    case SECPKG_ATTR_SIZES:
    case SECPKG_ATTR_LIFESPAN:
    case SECPKG_ATTR_DCE_INFO:
    case SECPKG_ATTR_STREAM_SIZES:
    case SECPKG_ATTR_PASSWORD_EXPIRY:
    case SECPKG_ATTR_SESSION_KEY:
    case SECPKG_ATTR_USER_FLAGS:
    case SECPKG_ATTR_FLAGS:
    case SECPKG_ATTR_USE_VALIDATED:
    case SECPKG_ATTR_TARGET_INFORMATION:
    case SECPKG_ATTR_ACCESS_TOKEN:
    case SECPKG_ATTR_TARGET:
    case SECPKG_ATTR_AUTHENTICATION_ID:
    case SECPKG_ATTR_LOGOFF_TIME:
    case SECPKG_ATTR_NEGO_KEYS:
    case SECPKG_ATTR_PROMPTING_NEEDED:
    case SECPKG_ATTR_UNIQUE_BINDINGS:
    case SECPKG_ATTR_ENDPOINT_BINDINGS:
    case SECPKG_ATTR_CLIENT_SPECIFIED_TARGET: /* UTF-16 in both forms */
    case SECPKG_ATTR_LAST_CLIENT_TOKEN_STATUS:
    case SECPKG_ATTR_NEGO_PKG_INFO:
    case SECPKG_ATTR_NEGO_STATUS:
    case SECPKG_ATTR_CONTEXT_DELETED:
    case SECPKG_ATTR_DTLS_MTU:
    case SECPKG_ATTR_SUBJECT_SECURITY_ATTRIBUTES:
    case SECPKG_ATTR_APPLICATION_PROTOCOL:
    case SECPKG_ATTR_NEGOTIATED_TLS_EXTENSIONS:
    case SECPKG_ATTR_IS_LOOPBACK:
        return true;
    default:
        return false;
    }
}

SecPkgInfoW *package_info_block_w(const package_info &info)
{
    size_t name = (info.name.size() + 1) * sizeof(wchar_t);
    size_t comment = (info.comment.size() + 1) * sizeof(wchar_t);
    auto *out = static_cast<SecPkgInfoW *>(context_buffer_alloc(sizeof(SecPkgInfoW) + name + comment));
    if (!out) return nullptr;
    out->fCapabilities = info.capabilities;
    out->wVersion = info.version;
    out->wRPCID = info.rpc_id;
    out->cbMaxToken = info.max_token;
    out->Name = reinterpret_cast<SEC_WCHAR *>(out + 1);
    memcpy(out->Name, info.name.c_str(), name);
    out->Comment = reinterpret_cast<SEC_WCHAR *>(reinterpret_cast<char *>(out->Name) + name);
    memcpy(out->Comment, info.comment.c_str(), comment);
    return out;
}

SecPkgInfoA *package_info_block_a(const SecPkgInfoW &info)
{
    size_t name = ansi_size(info.Name), comment = ansi_size(info.Comment);
    auto *out = static_cast<SecPkgInfoA *>(context_buffer_alloc(sizeof(SecPkgInfoA) + name + comment));
    if (!out) return nullptr;
    out->fCapabilities = info.fCapabilities;
    out->wVersion = info.wVersion;
    out->wRPCID = info.wRPCID;
    out->cbMaxToken = info.cbMaxToken;
    char *strings = reinterpret_cast<char *>(out + 1);
    out->Name = put_ansi(info.Name, strings, name);
    out->Comment = put_ansi(info.Comment, strings + name, comment);
    return out;
}

SECURITY_STATUS query_context_attribute_ansi(ULONG attribute, void *buffer, const attribute_query &query_w)
{
    if (context_attribute_is_string_free(attribute)) return query_w(attribute, buffer);
    if (!buffer) return SEC_E_INVALID_PARAMETER;

    switch (attribute) {
    case SECPKG_ATTR_NAMES: {
        auto *a = static_cast<SecPkgContext_NamesA *>(buffer);
        return convert_strings<SecPkgContext_NamesW>(
            buffer, attribute, query_w,
            [a](SecPkgContext_NamesW &w, bool &ok) { a->sUserName = ansi_copy(w.sUserName, ok); },
            [](SecPkgContext_NamesW &w, auto free) { free(w.sUserName); });
    }
    case SECPKG_ATTR_AUTHORITY: {
        auto *a = static_cast<SecPkgContext_AuthorityA *>(buffer);
        return convert_strings<SecPkgContext_AuthorityW>(
            buffer, attribute, query_w,
            [a](SecPkgContext_AuthorityW &w, bool &ok) { a->sAuthorityName = ansi_copy(w.sAuthorityName, ok); },
            [](SecPkgContext_AuthorityW &w, auto free) { free(w.sAuthorityName); });
    }
    case SECPKG_ATTR_NATIVE_NAMES: {
        auto *a = static_cast<SecPkgContext_NativeNamesA *>(buffer);
        return convert_strings<SecPkgContext_NativeNamesW>(
            buffer, attribute, query_w,
            [a](SecPkgContext_NativeNamesW &w, bool &ok) {
                a->sClientName = ansi_copy(w.sClientName, ok);
                a->sServerName = ansi_copy(w.sServerName, ok);
            },
            [](SecPkgContext_NativeNamesW &w, auto free) {
                free(w.sClientName);
                free(w.sServerName);
            });
    }
    case SECPKG_ATTR_CREDENTIAL_NAME: {
        auto *a = static_cast<SecPkgContext_CredentialNameA *>(buffer);
        return convert_strings<SecPkgContext_CredentialNameW>(
            buffer, attribute, query_w,
            [a](SecPkgContext_CredentialNameW &w, bool &ok) {
                a->CredentialType = w.CredentialType;
                a->sCredentialName = ansi_copy(w.sCredentialName, ok);
            },
            [](SecPkgContext_CredentialNameW &w, auto free) { free(w.sCredentialName); });
    }
    case SECPKG_ATTR_PROTO_INFO: {
        auto *a = static_cast<SecPkgContext_ProtoInfoA *>(buffer);
        return convert_strings<SecPkgContext_ProtoInfoW>(
            buffer, attribute, query_w,
            [a](SecPkgContext_ProtoInfoW &w, bool &ok) {
                a->sProtocolName = ansi_copy(w.sProtocolName, ok);
                a->majorVersion = w.majorVersion;
                a->minorVersion = w.minorVersion;
            },
            [](SecPkgContext_ProtoInfoW &w, auto free) { free(w.sProtocolName); });
    }
    case SECPKG_ATTR_KEY_INFO: {
        auto *a = static_cast<SecPkgContext_KeyInfoA *>(buffer);
        return convert_strings<SecPkgContext_KeyInfoW>(
            buffer, attribute, query_w,
            [a](SecPkgContext_KeyInfoW &w, bool &ok) {
                a->sSignatureAlgorithmName = ansi_copy(w.sSignatureAlgorithmName, ok);
                a->sEncryptAlgorithmName = ansi_copy(w.sEncryptAlgorithmName, ok);
                a->KeySize = w.KeySize;
                a->SignatureAlgorithm = w.SignatureAlgorithm;
                a->EncryptAlgorithm = w.EncryptAlgorithm;
            },
            [](SecPkgContext_KeyInfoW &w, auto free) {
                free(w.sSignatureAlgorithmName);
                free(w.sEncryptAlgorithmName);
            });
    }
    case SECPKG_ATTR_PACKAGE_INFO: {
        auto *a = static_cast<SecPkgContext_PackageInfoA *>(buffer);
        return convert_strings<SecPkgContext_PackageInfoW>(
            buffer, attribute, query_w,
            [a](SecPkgContext_PackageInfoW &w, bool &ok) {
                a->PackageInfo = w.PackageInfo ? package_info_block_a(*w.PackageInfo) : nullptr;
                if (w.PackageInfo && !a->PackageInfo) ok = false;
            },
            [](SecPkgContext_PackageInfoW &w, auto free) { free(w.PackageInfo); });
    }
    case SECPKG_ATTR_NEGOTIATION_INFO: {
        auto *a = static_cast<SecPkgContext_NegotiationInfoA *>(buffer);
        return convert_strings<SecPkgContext_NegotiationInfoW>(
            buffer, attribute, query_w,
            [a](SecPkgContext_NegotiationInfoW &w, bool &ok) {
                a->PackageInfo = w.PackageInfo ? package_info_block_a(*w.PackageInfo) : nullptr;
                if (w.PackageInfo && !a->PackageInfo) ok = false;
                a->NegotiationState = w.NegotiationState;
            },
            [](SecPkgContext_NegotiationInfoW &w, auto free) { free(w.PackageInfo); });
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

SECURITY_STATUS query_credential_attribute_ansi(ULONG attribute, void *buffer, const attribute_query &query_w)
{
    if (!buffer) return SEC_E_INVALID_PARAMETER;
    switch (attribute) {
    case SECPKG_CRED_ATTR_NAMES: {
        auto *a = static_cast<SecPkgCredentials_NamesA *>(buffer);
        return convert_strings<SecPkgCredentials_NamesW>(
            buffer, attribute, query_w,
            [a](SecPkgCredentials_NamesW &w, bool &ok) { a->sUserName = ansi_copy(w.sUserName, ok); },
            [](SecPkgCredentials_NamesW &w, auto free) { free(w.sUserName); });
    }
    case SECPKG_CRED_ATTR_SSI_PROVIDER:
        return SEC_E_UNSUPPORTED_FUNCTION; /* ANSI strings of its own: not converted */
    default:
        /* The other credential attributes hold no ANSI/UTF-16 strings. */
        return query_w(attribute, buffer);
    }
}

} // namespace secur32
