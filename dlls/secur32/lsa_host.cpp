/* Loading and initialising the LSA package dlls (see lsa_host.h). */
#include "lsa_host.h"

#include <string.h>
#include <new>

#include "lsa_dispatch_table.h"
#include "text.h"
#include "trace.h"

namespace secur32 {

namespace {

constexpr wchar_t lsa_key_path[] = L"System\\CurrentControlSet\\Control\\Lsa";

/* The names Windows uses for packages whose Wine dll reports another one. */
struct name_alias {
    const char *reported;
    const char *windows;
};
constexpr name_alias aliases[] = {
    {"NTLM", MSV1_0_PACKAGE_NAME},
};

bool same_name(const std::string &a, const char *b, size_t length)
{
    return a.size() == length && !memcmp(a.data(), b, length);
}

/* Closes a module unless released: init steps bail out early. */
class module_ref {
public:
    explicit module_ref(HMODULE m) : m_(m) {}
    ~module_ref() { if (m_) FreeLibrary(m_); }
    module_ref(const module_ref &) = delete;
    module_ref &operator=(const module_ref &) = delete;
    HMODULE get() const { return m_; }
    HMODULE release() { HMODULE m = m_; m_ = nullptr; return m; }
private:
    HMODULE m_;
};

} // namespace

lsa_host *lsa_host::instance_ = nullptr;

BOOL CALLBACK lsa_host::create(INIT_ONCE *, void *, void **)
{
    auto *host = new (std::nothrow) lsa_host;
    if (!host) return FALSE;
    try {
        host->load_all();
    } catch (...) {
        TRACE_ERR("loading LSA packages failed\n");
    }
    instance_ = host;
    return TRUE;
}

lsa_host &lsa_host::instance()
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    if (!InitOnceExecuteOnce(&once, create, nullptr, nullptr) || !instance_) throw std::bad_alloc();
    return *instance_;
}

void lsa_host::load_all()
{
    HKEY root;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, lsa_key_path, 0, KEY_READ, &root) != ERROR_SUCCESS) return;

    /* Ids count every enumerated subkey, loaded or not, from 1. */
    for (DWORD index = 0;; index++) {
        wchar_t name[MAX_PATH];
        LSTATUS err = RegEnumKeyW(root, index, name, MAX_PATH);
        if (err == ERROR_NO_MORE_ITEMS) break;
        if (err != ERROR_SUCCESS) continue;
        std::unique_ptr<lsa_module> module = load(name, index + 1);
        if (!module) continue;
        order_.push_back(module.get());
        owned_.push_back(std::move(module));
    }
    RegCloseKey(root);
}

std::unique_ptr<lsa_module> lsa_host::load(const wchar_t *dll_name, ULONG package_id)
{
    module_ref dll(LoadLibraryW(dll_name));
    if (!dll.get()) {
        TRACE_WARN("cannot load %ls\n", dll_name);
        return nullptr;
    }

    auto lsa_init = reinterpret_cast<SpLsaModeInitializeFn>(GetProcAddress(dll.get(), SECPKG_LSAMODEINIT_NAME));
    if (!lsa_init) return nullptr;

    auto module = std::make_unique<lsa_module>();
    module->dll_name = dll_name;
    module->package_id = package_id;

    ULONG version = 0, count = 0;
    if (lsa_init(SECPKG_INTERFACE_VERSION, &version, &module->lsa_api, &count) != STATUS_SUCCESS ||
        !module->lsa_api || !count || !module->lsa_api->InitializePackage)
        return nullptr;

    LSA_STRING *reported = nullptr;
    NTSTATUS status = module->lsa_api->InitializePackage(package_id, lsa_dispatch_table(), nullptr, nullptr,
                                                         &reported);
    if (status != STATUS_SUCCESS) {
        /* msv1_0 refuses to start without Samba's ntlm_auth. */
        TRACE_WARN("%ls: LsaApInitializePackage failed %#lx\n", dll_name, status);
        return nullptr;
    }
    if (reported && reported->Buffer) module->name.assign(reported->Buffer, reported->Length);

    /* A package whose SpInitialize fails stays usable for LSA calls and
     * context setup, but gets no user-mode (message) functions, as in Wine. */
    SECPKG_PARAMETERS params = {};
    params.Version = SECPKG_INTERFACE_VERSION;
    params.MachineState = SECPKG_STATE_STANDALONE | SECPKG_STATE_ENCRYPTION_PERMITTED |
                          SECPKG_STATE_STRONG_ENCRYPTION_PERMITTED;
    status = module->lsa_api->Initialize ? module->lsa_api->Initialize(package_id, &params,
                                                                       lsa_secpkg_function_table())
                                         : STATUS_SUCCESS;
    if (status == STATUS_SUCCESS) {
        auto user_init =
            reinterpret_cast<SpUserModeInitializeFn>(GetProcAddress(dll.get(), SECPKG_USERMODEINIT_NAME));
        SECPKG_USER_FUNCTION_TABLE *user = nullptr;
        ULONG user_version = 0, user_count = 0;
        if (user_init && user_init(SECPKG_INTERFACE_VERSION, &user_version, &user, &user_count) == STATUS_SUCCESS &&
            user && user_count) {
            void *user_functions = nullptr;
            if (user->InstanceInit) user->InstanceInit(SECPKG_INTERFACE_VERSION, lsa_dll_functions(), &user_functions);
            module->user_api = user;
        }
    } else {
        TRACE_WARN("%ls: SpInitialize failed %#lx\n", dll_name, status);
    }

    if (module->lsa_api->GetInfo) {
        /* The package fills one SecPkgInfoW per table; its strings point at
         * the package's own data, so copy them now. */
        std::vector<SecPkgInfoW> infos(count);
        memset(infos.data(), 0, count * sizeof(SecPkgInfoW));
        if (module->lsa_api->GetInfo(reinterpret_cast<PSecPkgInfo>(infos.data())) == STATUS_SUCCESS &&
            infos[0].Name) {
            const SecPkgInfoW &w = infos[0];
            module->info.capabilities = w.fCapabilities;
            module->info.version = w.wVersion;
            module->info.rpc_id = w.wRPCID;
            module->info.max_token = w.cbMaxToken;
            module->info.name = w.Name;
            module->info.comment = w.Comment ? w.Comment : L"";
            module->has_info = true;
        }
    }

    TRACE("%ls: id %lu, LSA name %s, version %#lx, user functions %s\n", dll_name, package_id,
          module->name.c_str(), version, module->user_api ? "yes" : "no");
    module->module = dll.release();
    return module;
}

lsa_module *lsa_host::find_by_id(ULONG package_id) const
{
    for (lsa_module *m : order_)
        if (m->package_id == package_id) return m;
    return nullptr;
}

lsa_module *lsa_host::find_by_name(const char *name, size_t length) const
{
    if (!name) return nullptr;
    for (lsa_module *m : order_)
        if (same_name(m->name, name, length)) return m;
    for (const name_alias &alias : aliases) {
        if (strlen(alias.windows) != length || memcmp(alias.windows, name, length)) continue;
        for (lsa_module *m : order_)
            if (m->name == alias.reported) return m;
    }
    return nullptr;
}

lsa_module *lsa_host::find_by_name(const wchar_t *name, size_t length) const
{
    if (!name) return nullptr;
    std::string narrow;
    narrow.reserve(length);
    for (size_t i = 0; i < length; i++) {
        if (name[i] > 0x7f) return nullptr; /* package names are ASCII */
        narrow.push_back(char(name[i]));
    }
    return find_by_name(narrow.data(), narrow.size());
}

} // namespace secur32
