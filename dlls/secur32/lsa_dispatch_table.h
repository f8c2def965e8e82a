/* The callbacks an LSA package dll receives from its host (us): heap,
 * client buffers, logon-session and credential services. Packages run in
 * the caller's process here, so a "client buffer" is simply memory the
 * caller later frees with LsaFreeReturnBuffer / FreeContextBuffer. */
#pragma once

#include "lsa_api.h"

namespace secur32 {

LSA_DISPATCH_TABLE *lsa_dispatch_table();            /* for LsaApInitializePackage */
LSA_SECPKG_FUNCTION_TABLE *lsa_secpkg_function_table(); /* for SpInitialize */
SECPKG_DLL_FUNCTIONS *lsa_dll_functions();           /* for SpInstanceInit */

} // namespace secur32
