#include "schannel_protocols.h"

namespace secur32 {

namespace {

struct protocol_map {
    DWORD client, server;
    uint32_t tls;
};

constexpr protocol_map protocols[] = {
    {SP_PROT_TLS1_0_CLIENT, SP_PROT_TLS1_0_SERVER, tls_proto_tls1_0},
    {SP_PROT_TLS1_1_CLIENT, SP_PROT_TLS1_1_SERVER, tls_proto_tls1_1},
    {SP_PROT_TLS1_2_CLIENT, SP_PROT_TLS1_2_SERVER, tls_proto_tls1_2},
    {SP_PROT_TLS1_3_CLIENT, SP_PROT_TLS1_3_SERVER, tls_proto_tls1_3},
    {SP_PROT_DTLS1_0_CLIENT, SP_PROT_DTLS1_0_SERVER, tls_proto_dtls1_0},
    {SP_PROT_DTLS1_2_CLIENT, SP_PROT_DTLS1_2_SERVER, tls_proto_dtls1_2},
};

} // namespace

uint32_t tls_bits_from_sp_prot(DWORD sp_prot, bool is_server)
{
    uint32_t bits = 0;
    for (const auto &p : protocols)
        if (sp_prot & (is_server ? p.server : p.client)) bits |= p.tls;
    return bits;
}

DWORD sp_prot_from_tls_bit(uint32_t tls_bit, bool is_server)
{
    for (const auto &p : protocols)
        if (p.tls == tls_bit) return is_server ? p.server : p.client;
    return 0;
}

uint32_t default_tls_bits(bool sch_credentials)
{
    return (sch_credentials ? (tls_proto_tls1_2 | tls_proto_tls1_3) : tls_proto_tls1_2) | tls_proto_dtls1_2;
}

} // namespace secur32
