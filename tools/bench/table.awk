# Turns the columns' `result KEY VALUE UNIT` lines into run-bench's table.
# Input files, in order: limit.txt native.txt ours.txt stock.txt.
FNR == 1 { col = FILENAME; sub(/.*\//, "", col); sub(/\.txt$/, "", col) }
# A key measured in several passes keeps its best value: the highest rate,
# the lowest time.
$1 == "result" {
    key = $2; sub(/^(raw|native|win)\./, "", key)
    if ((col, key) in v && (($4 == "us" && $3 >= v[col, key]) || ($4 != "us" && $3 <= v[col, key]))) next
    v[col, key] = $3; extra[col, key] = $4 " " $5 " " $6 " " $7 " " $8
}
$1 == "na" { key = $2; sub(/^(raw|native|win)\./, "", key); na[col, key] = 1; r = $0; sub(/^na [^ ]+ /, "", r); why[col, key] = r }

function cell(c, k) { return ((c, k) in v) ? sprintf("%9.1f", v[c, k]) : sprintf("%9s", "n/a") }
function ratio(a, ka, b, kb) {
    if (!((a, ka) in v) || !((b, kb) in v) || v[b, kb] == 0) return sprintf("%9s", "-")
    return sprintf("%8.2fx", v[a, ka] / v[b, kb])
}
function row(label, klimit, k) {
    printf "%-34s %s %s %s %s  %s %s %s\n", label, cell("limit", klimit), cell("native", k), cell("ours", k),
        cell("stock", k), ratio("ours", k, "limit", klimit), ratio("ours", k, "native", k), ratio("ours", k, "stock", k)
}
function time_row(label, klimit, k) {
    row(label, klimit, k)
    if (("ours", k) in v && ("limit", klimit) in v)
        printf "%-34s %9s %9s %9.2f   (ours minus the cipher's own time per call)\n", "  beyond cipher cost (us)", "", "",
            v["ours", k] - v["limit", klimit]
}

# Milliseconds a handshake connection costs beyond a plain TCP connect+ping
# in the same column: the TLS/SSPI part, with the transport taken out.
function tls_cost(c, k) {
    if (!((c, k) in v) || !((c, "tcp_ping") in v) || v[c, k] == 0 || v[c, "tcp_ping"] == 0) return -1
    return 1000 / v[c, k] - 1000 / v[c, "tcp_ping"]
}
function ms_cell(x) { return x < 0 ? sprintf("%9s", "n/a") : sprintf("%9.2f", x) }
function tls_cost_row(label, k,    n, o, s) {
    n = tls_cost("native", k); o = tls_cost("ours", k); s = tls_cost("stock", k)
    printf "%-34s %9s %s %s %s  %9s %s %s\n", "  " label, "", ms_cell(n), ms_cell(o), ms_cell(s), "",
        (n > 0 && o > 0) ? sprintf("%8.2fx", o / n) : sprintf("%9s", "-"), (o > 0 && s > 0) ? sprintf("%8.2fx", o / s) : sprintf("%9s", "-")
}

END {
    printf "%-34s %9s %9s %9s %9s  %9s %9s %9s\n", "", "limit", "native", "ours", "stock", "ours/lim", "ours/nat", "ours/stk"
    split("16384 1024 64", sizes, " ")
    name["16384"] = "16 KB"; name["1024"] = "1 KB"; name["64"] = "64 B"
    row("TCP connect+ping/s (no TLS)", "-", "tcp_ping")
    for (p = 0; p < 2; p++) {
        proto = p ? "tls13" : "tls12"; pname = p ? "TLS 1.3" : "TLS 1.2"
        print ""
        for (d = 0; d < 2; d++) {
            dir = d ? "enc" : "dec"; dname = d ? "Encrypt" : "Decrypt"
            for (s = 1; s <= 3; s++)
                row(sprintf("%s %s %s MB/s", pname, dname, name[sizes[s]]), "AES-128-GCM." dir "." sizes[s],
                    proto "." dir "." sizes[s])
            time_row(sprintf("%s %s 64 B us/call", pname, dname), "AES-128-GCM." dir "_us.64", proto "." dir "_us.64")
        }
        row(pname " full handshakes/s", "-", proto ".hs_full")
        row(pname " resumed handshakes/s", "-", proto ".hs_resumed")
        if (("ours", proto ".hs_full") in v && ("ours", proto ".hs_resumed") in v)
            printf "%-34s %29.2fx\n", "  ours resumed/full", v["ours", proto ".hs_resumed"] / v["ours", proto ".hs_full"]
        tls_cost_row(pname " full: ms beyond TCP", proto ".hs_full")
        tls_cost_row(pname " resumed: ms beyond TCP", proto ".hs_resumed")
    }
    print ""
    # Ours only (stock Wine 8 has no AcceptSecurityContext): time inside
    # AcceptSecurityContext, against our own client in one process.
    row("server TLS 1.2 full handshakes/s", "-", "server.tls12.hs_full")
    row("server TLS 1.2 resumed handshakes/s", "-", "server.tls12.hs_resumed")
    row("server TLS 1.3 full handshakes/s", "-", "server.tls13.hs_full")
    row("server TLS 1.3 resumed handshakes/s", "-", "server.tls13.hs_resumed")
    row("memory per idle context KB (RSS)", "-", "mem.rss_per_context")
    for (c = 0; c < 2; c++) {
        who = c ? "stock" : "ours"
        if ((who, "mem.contexts") in v)
            printf "%-34s %s: %d contexts alive at once %s\n", "many contexts", who, v[who, "mem.contexts"], extra[who, "mem.contexts"]
        else
            printf "%-34s %s: n/a (%s)\n", "many contexts", who, ((who, "mem.contexts") in why) ? why[who, "mem.contexts"] : "see run-bench's messages"
    }
    print ""
    print "limit, raw GnuTLS AEAD on 16 KB records (MB/s):"
    split("AES-128-GCM AES-256-GCM CHACHA20-POLY1305", ciphers, " ")
    for (i = 1; i <= 3; i++)
        printf "  %-20s encrypt %s   decrypt %s\n", ciphers[i], cell("limit", ciphers[i] ".enc.16384"), cell("limit", ciphers[i] ".dec.16384")
    print "Ratios: throughput and rates, higher is better for ours; us/call and ms rows, lower is better."
}
