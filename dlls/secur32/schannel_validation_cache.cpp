#include "schannel_validation_cache.h"

#include <cstring>

#include "srw_lock.h"

namespace secur32 {

namespace {

/* How long a result stays valid: a CA removed from the trust store, or a
 * policy change, takes effect for cached servers after this long. */
constexpr ULONGLONG cache_milliseconds = 300 * 1000;
/* Servers remembered at once; the oldest entry makes room. */
constexpr size_t cache_entries = 64;

struct entry {
    std::vector<BYTE> chain;
    std::wstring host;
    DWORD flags = 0;
    ULONGLONG stored_at = 0;
    FILETIME not_before{}, not_after{};
};

srw_lock cache_lock;
std::vector<entry> *cache_storage()
{
    static std::vector<entry> entries; /* guarded by cache_lock */
    return &entries;
}

bool same_key(const entry &e, const std::vector<BYTE> &chain, const wchar_t *host, DWORD flags)
{
    return e.flags == flags && e.host == (host ? host : L"") && e.chain == chain;
}

bool inside(const FILETIME &t, const FILETIME &from, const FILETIME &to)
{
    return CompareFileTime(&t, &from) >= 0 && CompareFileTime(&t, &to) <= 0;
}

} // namespace

bool validation_cacheable(DWORD cred_flags)
{
    return !(cred_flags & (SCH_CRED_REVOCATION_CHECK_END_CERT | SCH_CRED_REVOCATION_CHECK_CHAIN |
                           SCH_CRED_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT));
}

std::vector<BYTE> presented_chain_bytes(const CERT_CONTEXT *leaf)
{
    std::vector<BYTE> out;
    if (!leaf) return out;
    const CERT_CONTEXT *c = nullptr;
    while ((c = CertEnumCertificatesInStore(leaf->hCertStore, c))) {
        DWORD len = c->cbCertEncoded;
        const BYTE *l = reinterpret_cast<const BYTE *>(&len);
        out.insert(out.end(), l, l + sizeof(len));
        out.insert(out.end(), c->pbCertEncoded, c->pbCertEncoded + len);
    }
    return out;
}

bool validation_cached(const std::vector<BYTE> &chain, const wchar_t *host, DWORD cred_flags)
{
    if (chain.empty() || !validation_cacheable(cred_flags)) return false;
    ULONGLONG now = GetTickCount64();
    FILETIME now_time;
    GetSystemTimeAsFileTime(&now_time);
    shared_guard guard(cache_lock);
    for (const entry &e : *cache_storage())
        if (same_key(e, chain, host, cred_flags))
            return now - e.stored_at < cache_milliseconds && inside(now_time, e.not_before, e.not_after);
    return false;
}

void remember_validation(const std::vector<BYTE> &chain, const wchar_t *host, DWORD cred_flags,
                         const CERT_CONTEXT *leaf)
{
    if (chain.empty() || !leaf || !validation_cacheable(cred_flags)) return;
    entry fresh;
    fresh.chain = chain;
    fresh.host = host ? host : L"";
    fresh.flags = cred_flags;
    fresh.stored_at = GetTickCount64();
    fresh.not_before = leaf->pCertInfo->NotBefore;
    fresh.not_after = leaf->pCertInfo->NotAfter;
    exclusive_guard guard(cache_lock);
    std::vector<entry> &entries = *cache_storage();
    for (entry &e : entries)
        if (same_key(e, chain, host, cred_flags)) {
            e = std::move(fresh);
            return;
        }
    if (entries.size() >= cache_entries) {
        size_t oldest = 0;
        for (size_t i = 1; i < entries.size(); i++)
            if (entries[i].stored_at < entries[oldest].stored_at) oldest = i;
        entries.erase(entries.begin() + ptrdiff_t(oldest));
    }
    entries.push_back(std::move(fresh));
}

} // namespace secur32
