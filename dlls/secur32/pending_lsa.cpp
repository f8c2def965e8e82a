/* TEMPORARY: placeholders until the LSA hosting lands (owner: LSA work).
 * Delete each definition as its real implementation is added; delete the
 * file when empty. They fail honestly; none claims success. */
#include <windows.h>
#include <ntsecapi.h>
#include <sspi.h>
#include "package_registry.h"
#ifndef STATUS_NOT_IMPLEMENTED
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002L)
#endif

namespace secur32 {
void register_negotiate_package(package_registry &) {}
void register_registry_providers(package_registry &) {}
} // namespace secur32

extern "C" {
NTSTATUS WINAPI LsaCallAuthenticationPackage(HANDLE, ULONG, PVOID, ULONG, PVOID *, PULONG, PNTSTATUS) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaConnectUntrusted(PHANDLE) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaDeregisterLogonProcess(HANDLE) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaEnumerateLogonSessions(PULONG, PLUID *) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaFreeReturnBuffer(PVOID) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaGetLogonSessionData(PLUID, PSECURITY_LOGON_SESSION_DATA *) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaLogonUser(HANDLE, PLSA_STRING, SECURITY_LOGON_TYPE, ULONG, PVOID, ULONG, PTOKEN_GROUPS, PTOKEN_SOURCE, PVOID *, PULONG, PLUID, PHANDLE, PQUOTA_LIMITS, PNTSTATUS) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaLookupAuthenticationPackage(HANDLE, PLSA_STRING, PULONG) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaRegisterLogonProcess(PLSA_STRING, PHANDLE, PLSA_OPERATIONAL_MODE) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaRegisterPolicyChangeNotification(POLICY_NOTIFICATION_INFORMATION_CLASS, HANDLE) { return STATUS_NOT_IMPLEMENTED; }
NTSTATUS WINAPI LsaUnregisterPolicyChangeNotification(POLICY_NOTIFICATION_INFORMATION_CLASS, HANDLE) { return STATUS_NOT_IMPLEMENTED; }
}
