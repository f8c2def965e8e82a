/* InitSecurityInterfaceA/W: the function tables callers (WinINet, curl,
 * .NET) use instead of the individual exports. The tables point at our own
 * exports, so both routes behave identically. The version is the one stock
 * Wine reports; entries past SetContextAttributes stay null. */
#include <windows.h>
#include <sspi.h>

#include "version.h"

extern "C" {


static SecurityFunctionTableA table_a = {
    SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION,
    EnumerateSecurityPackagesA,
    QueryCredentialsAttributesA,
    AcquireCredentialsHandleA,
    FreeCredentialsHandle,
    nullptr, /* Reserved2 */
    InitializeSecurityContextA,
    AcceptSecurityContext,
    CompleteAuthToken,
    DeleteSecurityContext,
    ApplyControlToken,
    QueryContextAttributesA,
    ImpersonateSecurityContext,
    RevertSecurityContext,
    MakeSignature,
    VerifySignature,
    FreeContextBuffer,
    QuerySecurityPackageInfoA,
    (void *)EncryptMessage, /* Reserved3: SealMessage */
    (void *)DecryptMessage, /* Reserved4: UnsealMessage */
    ExportSecurityContext,
    ImportSecurityContextA,
    AddCredentialsA,
    nullptr, /* Reserved8 */
    QuerySecurityContextToken,
    EncryptMessage,
    DecryptMessage,
    SetContextAttributesA,
};

static SecurityFunctionTableW table_w = {
    SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION,
    EnumerateSecurityPackagesW,
    QueryCredentialsAttributesW,
    AcquireCredentialsHandleW,
    FreeCredentialsHandle,
    nullptr,
    InitializeSecurityContextW,
    AcceptSecurityContext,
    CompleteAuthToken,
    DeleteSecurityContext,
    ApplyControlToken,
    QueryContextAttributesW,
    ImpersonateSecurityContext,
    RevertSecurityContext,
    MakeSignature,
    VerifySignature,
    FreeContextBuffer,
    QuerySecurityPackageInfoW,
    (void *)EncryptMessage,
    (void *)DecryptMessage,
    ExportSecurityContext,
    ImportSecurityContextW,
    AddCredentialsW,
    nullptr,
    QuerySecurityContextToken,
    EncryptMessage,
    DecryptMessage,
    SetContextAttributesW,
};

PSecurityFunctionTableA WINAPI InitSecurityInterfaceA(void) { return &table_a; }
PSecurityFunctionTableW WINAPI InitSecurityInterfaceW(void) { return &table_w; }

/* Not a Windows export: identifies this implementation (tests use it to
 * prove which secur32 a process loaded). */
const char *WINAPI WineSecur32BuildInfo(void) { return WINE_SECUR32_BUILD_INFO; }

} // extern "C"
