/* Defaults of the package interface: an operation a package does not offer
 * fails plainly instead of pretending to work. */
#include "package.h"

namespace secur32 {

SECURITY_STATUS credential::query_attributes(ULONG, void *, bool) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS credential::set_attributes(ULONG, void *, ULONG, bool) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS credential::add_credentials(const acquire_call &) { return SEC_E_UNSUPPORTED_FUNCTION; }

SECURITY_STATUS context::complete_auth_token(SecBufferDesc *) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::apply_control_token(SecBufferDesc *) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::query_attributes(ULONG, void *, bool) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::set_attributes(ULONG, void *, ULONG, bool) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::impersonate() { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::revert() { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::make_signature(ULONG, SecBufferDesc *, ULONG) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::verify_signature(SecBufferDesc *, ULONG, ULONG *) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::encrypt(ULONG, SecBufferDesc *, ULONG) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::decrypt(SecBufferDesc *, ULONG, ULONG *) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::query_token(HANDLE *) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS context::export_context(ULONG, SecBuffer *, HANDLE *) { return SEC_E_UNSUPPORTED_FUNCTION; }

SECURITY_STATUS security_package::acquire_credentials(const acquire_call &, ref_ptr<credential> &)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}
SECURITY_STATUS security_package::initialize_context(context_call &) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS security_package::accept_context(context_call &) { return SEC_E_UNSUPPORTED_FUNCTION; }
SECURITY_STATUS security_package::import_context(SecBuffer *, HANDLE, ref_ptr<context> &)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

} // namespace secur32
