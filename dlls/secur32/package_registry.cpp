/* Package registry: builds the package list once, in Wine's order. */
#include "package_registry.h"

#include <wchar.h>

#include "trace.h"

namespace secur32 {

namespace {

package_registry *the_registry;

BOOL WINAPI create_registry(INIT_ONCE *, void *, void **)
{
    the_registry = new package_registry;
    the_registry->initialize();
    return TRUE;
}

} // namespace

package_registry &package_registry::instance()
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    InitOnceExecuteOnce(&once, create_registry, nullptr, nullptr);
    return *the_registry;
}

void package_registry::initialize()
{
    /* A family that fails to load (e.g. a missing LSA dll) must not take
     * the others down with it. */
    auto guarded = [this](void (*loader)(package_registry &), const char *what) {
        try {
            loader(*this);
        } catch (...) {
            TRACE_ERR("loading %s packages failed\n", what);
        }
    };
    guarded(register_schannel_packages, "Schannel");
    guarded(register_lsa_packages, "LSA");
    guarded(register_negotiate_package, "Negotiate");
    guarded(register_registry_providers, "registry");
    initialized_ = true;
}

void package_registry::add(std::unique_ptr<security_package> package)
{
    order_.push_back(package.get());
    owned_.push_back(std::move(package));
}

const std::vector<security_package *> &package_registry::packages() { return order_; }

security_package *package_registry::find(const wchar_t *name)
{
    if (!name) return nullptr;
    for (security_package *p : order_)
        if (!_wcsicmp(p->info().name.c_str(), name)) return p;
    return nullptr;
}

} // namespace secur32
