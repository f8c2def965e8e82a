/* One allocation per result; see package_info_buffer.h. */
#include "package_info_buffer.h"

#include <string.h>
#include <string>

#include "context_buffer.h"
#include "text.h"

namespace secur32 {

namespace {

/* SecPkgInfoA/W arrays are returned as one block (array, then strings) so
 * a single FreeContextBuffer releases them, as on Windows. */
template <typename Info, typename Str>
Info *pack_infos(const std::vector<const package_info *> &infos, const std::vector<Str> &names,
                 const std::vector<Str> &comments)
{
    using Char = typename Str::value_type;
    size_t bytes = infos.size() * sizeof(Info);
    for (size_t i = 0; i < infos.size(); i++)
        bytes += (names[i].size() + 1 + comments[i].size() + 1) * sizeof(Char);
    auto *out = static_cast<Info *>(context_buffer_alloc(bytes));
    if (!out) return nullptr;
    Char *strings = reinterpret_cast<Char *>(out + infos.size());
    auto put = [&strings](const Str &s) {
        Char *start = strings;
        memcpy(strings, s.c_str(), (s.size() + 1) * sizeof(Char));
        strings += s.size() + 1;
        return start;
    };
    for (size_t i = 0; i < infos.size(); i++) {
        out[i].fCapabilities = infos[i]->capabilities;
        out[i].wVersion = infos[i]->version;
        out[i].wRPCID = infos[i]->rpc_id;
        out[i].cbMaxToken = infos[i]->max_token;
        out[i].Name = put(names[i]);
        out[i].Comment = put(comments[i]);
    }
    return out;
}

} // namespace

SECURITY_STATUS allocate_package_infos_w(const std::vector<const package_info *> &infos, SecPkgInfoW **out)
{
    std::vector<std::wstring> names, comments;
    for (auto *i : infos) { names.push_back(i->name); comments.push_back(i->comment); }
    *out = pack_infos<SecPkgInfoW>(infos, names, comments);
    return *out ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

SECURITY_STATUS allocate_package_infos_a(const std::vector<const package_info *> &infos, SecPkgInfoA **out)
{
    std::vector<std::string> names, comments;
    for (auto *i : infos) { names.push_back(to_ansi(i->name.c_str())); comments.push_back(to_ansi(i->comment.c_str())); }
    *out = pack_infos<SecPkgInfoA>(infos, names, comments);
    return *out ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}


} // namespace secur32
