/* Host services for the LSA packages (see lsa_dispatch_table.h).
 *
 * Logon sessions, stored credentials and token creation belong to a real
 * LSA process, which Wine does not have: those report STATUS_NOT_IMPLEMENTED.
 * Memory, client buffers and the in-process helpers work. */
#include "lsa_dispatch_table.h"

#include <string.h>

#include "context_buffer.h"
#include "lsa_host.h"
#include "trace.h"

namespace secur32 {

namespace {

/* ---- logon sessions and credentials: no LSA database here --------------- */

NTSTATUS NTAPI create_logon_session(LUID *) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS NTAPI delete_logon_session(LUID *) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS NTAPI add_credential(LUID *, ULONG, LSA_STRING *, LSA_STRING *) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS NTAPI get_credentials(LUID *, ULONG, ULONG *, BOOLEAN, LSA_STRING *, ULONG *, LSA_STRING *)
{
    return STATUS_NOT_IMPLEMENTED;
}
NTSTATUS NTAPI delete_credential(LUID *, ULONG, LSA_STRING *) { return STATUS_NOT_IMPLEMENTED; }

/* ---- memory ---------------------------------------------------------------- */

void *NTAPI allocate_lsa_heap(ULONG size) { return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size ? size : 1); }
void NTAPI free_lsa_heap(void *p) { if (p) HeapFree(GetProcessHeap(), 0, p); }
void *NTAPI allocate_private_heap(SIZE_T size) { return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size ? size : 1); }
void NTAPI free_private_heap(void *p) { if (p) HeapFree(GetProcessHeap(), 0, p); }

/* The "client" is this process: its buffers come from the allocator that
 * LsaFreeReturnBuffer and FreeContextBuffer release. */
NTSTATUS NTAPI allocate_client_buffer(PLSA_CLIENT_REQUEST, ULONG size, void **p)
{
    if (!p) return STATUS_INVALID_PARAMETER;
    *p = context_buffer_alloc(size);
    return *p ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

NTSTATUS NTAPI free_client_buffer(PLSA_CLIENT_REQUEST, void *p)
{
    context_buffer_free(p);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI copy_to_client_buffer(PLSA_CLIENT_REQUEST, ULONG size, void *client, void *local)
{
    if (size && (!client || !local)) return STATUS_ACCESS_VIOLATION;
    if (size) memmove(client, local, size);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI copy_from_client_buffer(PLSA_CLIENT_REQUEST, ULONG size, void *local, void *client)
{
    if (size && (!client || !local)) return STATUS_ACCESS_VIOLATION;
    if (size) memmove(local, client, size);
    return STATUS_SUCCESS;
}

/* ---- in-process helpers ----------------------------------------------------- */

NTSTATUS NTAPI impersonate_client() { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS NTAPI unload_package() { return STATUS_NOT_IMPLEMENTED; }

NTSTATUS NTAPI duplicate_handle(HANDLE source, HANDLE *target)
{
    if (!target) return STATUS_INVALID_PARAMETER;
    HANDLE process = GetCurrentProcess();
    if (!DuplicateHandle(process, source, process, target, 0, FALSE, DUPLICATE_SAME_ACCESS))
        return STATUS_INVALID_HANDLE;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI save_supplemental_credentials(LUID *, ULONG, void *, BOOLEAN) { return STATUS_NOT_IMPLEMENTED; }

HANDLE NTAPI create_thread(SEC_ATTRS attributes, ULONG stack, SEC_THREAD_START start, void *arg, ULONG flags,
                           ULONG *id)
{
    DWORD tid = 0;
    HANDLE thread = CreateThread(attributes, stack, start, arg, flags, &tid);
    if (id) *id = tid;
    return thread;
}

NTSTATUS NTAPI get_client_info(SECPKG_CLIENT_INFO *info)
{
    if (!info) return STATUS_INVALID_PARAMETER;
    memset(info, 0, sizeof(*info));
    info->ProcessID = GetCurrentProcessId();
    info->ThreadID = GetCurrentThreadId();
    HANDLE token;
    if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token)) {
        info->Impersonating = TRUE;
        CloseHandle(token);
    }
    info->ImpersonationLevel = SecurityImpersonation;
    return STATUS_SUCCESS;
}

/* Buffers are already in this address space. */
NTSTATUS NTAPI map_buffer(SecBuffer *input, SecBuffer *output)
{
    if (!input || !output) return STATUS_INVALID_PARAMETER;
    *output = *input;
    output->BufferType &= ~SECBUFFER_UNMAPPED;
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI get_call_info(SECPKG_CALL_INFO *info)
{
    if (!info) return FALSE;
    info->ProcessId = GetCurrentProcessId();
    info->ThreadId = GetCurrentThreadId();
    info->Attributes = SECPKG_CALL_IN_PROC;
    info->CallCount = 1;
    return TRUE;
}

/* One package calling another (trusted), by LSA package name. */
NTSTATUS NTAPI call_package(UNICODE_STRING *name, void *submit, ULONG submit_len, void **out, ULONG *out_len,
                            NTSTATUS *protocol_status)
{
    if (!name) return STATUS_INVALID_PARAMETER;
    lsa_module *module = lsa_host::instance().find_by_name(name->Buffer, name->Length / sizeof(WCHAR));
    if (!module) return STATUS_NO_SUCH_PACKAGE;
    auto *fn = module->lsa_api->CallPackage ? module->lsa_api->CallPackage : module->lsa_api->CallPackageUntrusted;
    if (!fn) return STATUS_NOT_SUPPORTED;
    return fn(nullptr, submit, submit, submit_len, out, out_len, protocol_status);
}

/* What call_package returned, as LsaFreeReturnBuffer would free it. */
void NTAPI free_return_buffer(void *p) { context_buffer_free(p); }

void NTAPI protect_memory(void *, ULONG) {}

NTSTATUS NTAPI register_callback(ULONG, PLSA_CALLBACK_FUNCTION) { return STATUS_NOT_IMPLEMENTED; }

} // namespace

LSA_DISPATCH_TABLE *lsa_dispatch_table()
{
    static LSA_DISPATCH_TABLE table = {
        create_logon_session, delete_logon_session, add_credential,         get_credentials,
        delete_credential,    allocate_lsa_heap,    free_lsa_heap,          allocate_client_buffer,
        free_client_buffer,   copy_to_client_buffer, copy_from_client_buffer,
    };
    return &table;
}

LSA_SECPKG_FUNCTION_TABLE *lsa_secpkg_function_table()
{
    static LSA_SECPKG_FUNCTION_TABLE table = [] {
        LSA_SECPKG_FUNCTION_TABLE t;
        memset(&t, 0, sizeof(t));
        t.CreateLogonSession = create_logon_session;
        t.DeleteLogonSession = delete_logon_session;
        t.AddCredential = add_credential;
        t.GetCredentials = get_credentials;
        t.DeleteCredential = delete_credential;
        t.AllocateLsaHeap = allocate_lsa_heap;
        t.FreeLsaHeap = free_lsa_heap;
        t.AllocateClientBuffer = allocate_client_buffer;
        t.FreeClientBuffer = free_client_buffer;
        t.CopyToClientBuffer = copy_to_client_buffer;
        t.CopyFromClientBuffer = copy_from_client_buffer;
        t.ImpersonateClient = impersonate_client;
        t.UnloadPackage = unload_package;
        t.DuplicateHandle = duplicate_handle;
        t.SaveSupplementalCredentials = save_supplemental_credentials;
        t.CreateThread = create_thread;
        t.GetClientInfo = get_client_info;
        t.MapBuffer = map_buffer;
        t.CallPackage = call_package;
        t.FreeReturnBuffer = free_return_buffer;
        t.GetCallInfo = get_call_info;
        t.LsaProtectMemory = protect_memory;
        t.LsaUnprotectMemory = protect_memory;
        t.AllocatePrivateHeap = allocate_private_heap;
        t.FreePrivateHeap = free_private_heap;
        return t;
    }();
    return &table;
}

SECPKG_DLL_FUNCTIONS *lsa_dll_functions()
{
    static SECPKG_DLL_FUNCTIONS table = {allocate_lsa_heap, free_lsa_heap, register_callback};
    return &table;
}

} // namespace secur32
