/* Identification string of this build, returned by WineSecur32BuildInfo. */
#pragma once

#define WINE_SECUR32_VERSION "0.1.0"
#ifdef _WIN64
#define WINE_SECUR32_ARCH "x86_64"
#else
#define WINE_SECUR32_ARCH "i686"
#endif
#define WINE_SECUR32_BUILD_INFO "wine-secur32 " WINE_SECUR32_VERSION " (" WINE_SECUR32_ARCH ", Schannel over GnuTLS)"
