/* Negotiate contexts: everything goes to the sub-context chosen when the
 * context was established (see negotiate.h). */
#include "negotiate.h"

namespace secur32 {

ref_ptr<context> negotiate_context::chosen()
{
    shared_guard guard(lock_);
    return chosen_;
}

void negotiate_context::replace(ref_ptr<context> chosen)
{
    ref_ptr<context> old;
    {
        exclusive_guard guard(lock_);
        old = std::move(chosen_);
        chosen_ = std::move(chosen);
    }
}

namespace {

template <typename Fn> SECURITY_STATUS forward(negotiate_context &ctx, Fn &&fn)
{
    ref_ptr<context> chosen = ctx.chosen();
    if (!chosen) return SEC_E_INVALID_HANDLE;
    return fn(*chosen);
}

} // namespace

SECURITY_STATUS negotiate_context::complete_auth_token(SecBufferDesc *token)
{
    return forward(*this, [&](context &c) { return c.complete_auth_token(token); });
}

SECURITY_STATUS negotiate_context::apply_control_token(SecBufferDesc *token)
{
    return forward(*this, [&](context &c) { return c.apply_control_token(token); });
}

SECURITY_STATUS negotiate_context::query_attributes(ULONG attribute, void *buffer, bool ansi)
{
    return forward(*this, [&](context &c) { return c.query_attributes(attribute, buffer, ansi); });
}

SECURITY_STATUS negotiate_context::impersonate()
{
    return forward(*this, [&](context &c) { return c.impersonate(); });
}

SECURITY_STATUS negotiate_context::revert()
{
    return forward(*this, [&](context &c) { return c.revert(); });
}

SECURITY_STATUS negotiate_context::make_signature(ULONG qop, SecBufferDesc *message, ULONG sequence)
{
    return forward(*this, [&](context &c) { return c.make_signature(qop, message, sequence); });
}

SECURITY_STATUS negotiate_context::verify_signature(SecBufferDesc *message, ULONG sequence, ULONG *qop)
{
    return forward(*this, [&](context &c) { return c.verify_signature(message, sequence, qop); });
}

SECURITY_STATUS negotiate_context::encrypt(ULONG qop, SecBufferDesc *message, ULONG sequence)
{
    return forward(*this, [&](context &c) { return c.encrypt(qop, message, sequence); });
}

SECURITY_STATUS negotiate_context::decrypt(SecBufferDesc *message, ULONG sequence, ULONG *qop)
{
    return forward(*this, [&](context &c) { return c.decrypt(message, sequence, qop); });
}

void negotiate_context::on_delete()
{
    ref_ptr<context> chosen = this->chosen();
    if (chosen) chosen->on_delete();
}

} // namespace secur32
