/* SecPkgInfoA/W as callers receive them: the array and its strings in one
 * FreeContextBuffer-able block (EnumerateSecurityPackages,
 * QuerySecurityPackageInfo, SECPKG_ATTR_PACKAGE_INFO). */
#pragma once

#include <vector>

#include "package.h"

namespace secur32 {

SECURITY_STATUS allocate_package_infos_w(const std::vector<const package_info *> &infos, SecPkgInfoW **out);
SECURITY_STATUS allocate_package_infos_a(const std::vector<const package_info *> &infos, SecPkgInfoA **out);

} // namespace secur32
