/* GetComputerObjectNameA/W: this computer's account name in an
 * EXTENDED_NAME_FORMAT.
 *
 * Behaviour follows Wine 8 (measured on stock Wine 8.0). The domain facts
 * come from the LSA policy (PolicyDnsDomainInformation), as on Windows:
 *  - NameUnknown: ERROR_INVALID_PARAMETER, before anything else.
 *  - LsaOpenPolicy / LsaQueryInformationPolicy failures: their status
 *    mapped with LsaNtStatusToWinError.
 *  - A policy without a domain SID: ERROR_CANT_ACCESS_DOMAIN_INFO for
 *    every format. (Wine reports the computer's account domain SID, so the
 *    formats below are reachable under Wine.)
 *  - NameSamCompatible: "DOMAIN\COMPUTER$" where DOMAIN is the policy's
 *    Name (empty on a host without a DNS domain, giving "\COMPUTER$");
 *    "COMPUTER$" when the policy has no Name at all.
 *  - NameFullyQualifiedDN: "CN=COMPUTER,CN=Computers" followed, when the
 *    policy has a DNS domain name, by ",DC=<label>" per label of it. A host
 *    without a DNS domain has an empty one, which gives a trailing "DC=" as
 *    in Wine.
 *  - NameDisplay, NameUniqueId, NameCanonical, NameUserPrincipal,
 *    NameCanonicalEx, NameServicePrincipal, NameDnsDomain:
 *    ERROR_CANT_ACCESS_DOMAIN_INFO (they need a directory service).
 *  - Anything else: ERROR_INVALID_PARAMETER.
 *  - Size rules (both formats with a value): a buffer that cannot hold
 *    name + terminator (or no buffer) fails with ERROR_INSUFFICIENT_BUFFER
 *    and *nSize = length + 1; success sets *nSize = length + 1 too. The A
 *    form counts bytes of the CP_ACP string.
 *
 * Deliberate differences from Wine 8, all where Wine is wrong or crashes:
 *  - Wine's NameSamCompatible size adds the domain's length in bytes rather
 *    than characters (overstating it whenever the domain is not empty) and
 *    leaves *nSize untouched on success in the W form; we report the exact
 *    size, as the A form and NameFullyQualifiedDN already do in Wine and as
 *    the documentation says ("on success, receives the size").
 *  - Wine joins all but the last label of a DNS domain into one "DC=a.b";
 *    we emit one DC= per label, which is what a distinguished name is.
 *  - A null nSize is ERROR_INVALID_PARAMETER instead of a crash. */
#include "names_common.h"

#include <ntsecapi.h>

namespace secur32 {
namespace names {
namespace {

const size_rules computer_object_rules = {ERROR_INSUFFICIENT_BUFFER, true};

/* Owns what LsaOpenPolicy / LsaQueryInformationPolicy hand out. */
class dns_domain_policy {
public:
    ~dns_domain_policy()
    {
        if (info_) LsaFreeMemory(info_);
        if (policy_) LsaClose(policy_);
    }
    NTSTATUS query()
    {
        LSA_OBJECT_ATTRIBUTES attributes = {};
        attributes.Length = sizeof(attributes);
        NTSTATUS status = LsaOpenPolicy(nullptr, &attributes, POLICY_VIEW_LOCAL_INFORMATION, &policy_);
        if (status) {
            policy_ = nullptr;
            return status;
        }
        void *buffer = nullptr;
        status = LsaQueryInformationPolicy(policy_, PolicyDnsDomainInformation, &buffer);
        if (status) return status;
        info_ = static_cast<POLICY_DNS_DOMAIN_INFO *>(buffer);
        return info_ ? 0 : NTSTATUS(0xC00000E5L); /* STATUS_INTERNAL_ERROR */
    }
    const POLICY_DNS_DOMAIN_INFO &info() const { return *info_; }

private:
    LSA_HANDLE policy_ = nullptr;
    POLICY_DNS_DOMAIN_INFO *info_ = nullptr;
};

std::wstring from_lsa_string(const LSA_UNICODE_STRING &value)
{
    if (!value.Buffer) return {};
    return std::wstring(value.Buffer, value.Length / sizeof(WCHAR));
}

/* The computer's name in `format`, or the error GetComputerObjectName
 * reports. */
DWORD computer_object_name(EXTENDED_NAME_FORMAT format, std::wstring &name)
{
    if (format == NameUnknown) return ERROR_INVALID_PARAMETER;

    dns_domain_policy policy;
    if (NTSTATUS status = policy.query()) {
        TRACE_WARN("LSA policy query failed: %#lx\n", (unsigned long)status);
        return LsaNtStatusToWinError(status);
    }
    const POLICY_DNS_DOMAIN_INFO &info = policy.info();
    if (!info.Sid) return ERROR_CANT_ACCESS_DOMAIN_INFO;

    switch (format) {
    case NameSamCompatible: {
        std::wstring computer;
        if (!local_computer_name(computer)) return ERROR_INTERNAL_ERROR;
        name.clear();
        if (info.Name.Buffer) name = from_lsa_string(info.Name) + L'\\';
        name += computer + L'$';
        return ERROR_SUCCESS;
    }
    case NameFullyQualifiedDN: {
        std::wstring computer;
        if (!local_computer_name(computer)) {
            DWORD error = GetLastError();
            return error ? error : ERROR_INTERNAL_ERROR;
        }
        name = L"CN=" + computer + L",CN=Computers";
        if (info.DnsDomainName.Buffer) {
            std::wstring dns = from_lsa_string(info.DnsDomainName);
            size_t start = 0;
            for (;;) {
                size_t dot = dns.find(L'.', start);
                name += L",DC=" + dns.substr(start, dot == std::wstring::npos ? std::wstring::npos : dot - start);
                if (dot == std::wstring::npos) break;
                start = dot + 1;
            }
        }
        return ERROR_SUCCESS;
    }
    case NameDisplay:
    case NameUniqueId:
    case NameCanonical:
    case NameUserPrincipal:
    case NameCanonicalEx:
    case NameServicePrincipal:
    case NameDnsDomain:
        TRACE_WARN("format %d needs a directory service\n", int(format));
        return ERROR_CANT_ACCESS_DOMAIN_INFO;
    default:
        return ERROR_INVALID_PARAMETER;
    }
}

template <typename Char>
BOOLEAN get_computer_object_name(EXTENDED_NAME_FORMAT format, Char *buffer, ULONG *size)
{
    std::wstring name;
    DWORD error = computer_object_name(format, name);
    return report_name(error, name, buffer, size, computer_object_rules);
}

} // namespace
} // namespace names
} // namespace secur32

using namespace secur32;

extern "C" BOOLEAN SEC_ENTRY GetComputerObjectNameW(EXTENDED_NAME_FORMAT format, LPWSTR buffer, PULONG size)
{
    TRACE("(%d %p %p)\n", int(format), buffer, size);
    return names::guarded_boolean(__func__, [&] { return names::get_computer_object_name(format, buffer, size); });
}

extern "C" BOOLEAN SEC_ENTRY GetComputerObjectNameA(EXTENDED_NAME_FORMAT format, LPSTR buffer, PULONG size)
{
    TRACE("(%d %p %p)\n", int(format), buffer, size);
    return names::guarded_boolean(__func__, [&] { return names::get_computer_object_name(format, buffer, size); });
}
