#include "caller_module.h"

#include <windows.h>
#include <string.h>

extern "C" IMAGE_DOS_HEADER __ImageBase;

namespace secur32 {

bool called_from_wine_builtin(const void *code_address)
{
    HMODULE module = nullptr;
    if (!code_address ||
        !GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            static_cast<LPCWSTR>(code_address), &module))
        return false;
    if (reinterpret_cast<const void *>(module) == &__ImageBase) return false;
    /* winebuild --builtin stores this signature right after the DOS
     * header (offset 0x40) of every builtin PE. */
    static const char signature[] = "Wine builtin DLL";
    return !memcmp(reinterpret_cast<const char *>(module) + 0x40, signature, sizeof(signature) - 1);
}

} // namespace secur32
