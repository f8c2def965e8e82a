/* SSLKEYLOGFILE: TLS secrets in the NSS key log format, so Wireshark can
 * decrypt captures. Written only when the user named a file; never
 * anywhere else. */
#pragma once

#include <gnutls/gnutls.h>
#include <string>

namespace secur32::unix_side {

/* Opens (appending) the key log file for the whole process; an empty path
 * turns key logging off. Returns false if the file cannot be opened. */
bool key_log_open(const std::string &path);

/* Makes `session` write its secrets to the key log, if one is open. */
void key_log_attach(gnutls_session_t session);

} // namespace secur32::unix_side
