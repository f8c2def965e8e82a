/* Shared by every column of `make bench` (the native C++ programs and the
 * Windows C program): the workload and the little command protocol spoken
 * with bench_server must be byte for byte the same in every column, or the
 * ratios compare different things. Plain C so both sides can include it. */
#ifndef BENCH_SHARED_H
#define BENCH_SHARED_H

#include <stddef.h>
#include <stdint.h>

/* Record throughput is the best of BENCH_ROUNDS x BENCH_BATCHES timed
 * batches, handshake rates the best of BENCH_ROUNDS windows: the machine is
 * shared with other work, and a batch slowed down by a neighbour says
 * nothing about the code. */
#define BENCH_ROUNDS 3

/* Handshake rates: best of BENCH_ROUNDS windows of this length. */
#define BENCH_HANDSHAKE_WINDOW_MS 1000

/* Memory per context is measured over this many established contexts, then
 * the count grows to BENCH_MANY_CONTEXTS (all alive at once) unless the
 * module is too slow to get there within the time limit. */
#define BENCH_MEMORY_CONTEXTS 1000
#define BENCH_MANY_CONTEXTS 10000
#define BENCH_MANY_TIME_LIMIT_MS 45000

static const unsigned bench_message_sizes[] = {16384, 1024, 64};
#define BENCH_SIZE_COUNT 3

/* Records per timed batch: about 512 KB of records, small enough to stay in
 * the L2/L3 cache as the raw cipher benchmark's buffers do (so the ratio to
 * it compares code, not DRAM), large enough that a batch lasts far longer
 * than reading the clock. */
static inline uint32_t bench_batch_records(unsigned message_size)
{
    return message_size >= 16384 ? 32 : message_size >= 1024 ? 512 : 4096;
}
/* Batches per round. */
#define BENCH_BATCHES 8

/* The commands a client sends to bench_server, as one 16-byte TLS message:
 * a letter and three little-endian 32-bit numbers (size, count, first). */
#define BENCH_CMD_SIZE 16
#define BENCH_CMD_SEND 'S'   /* server sends `count` messages of `size` bytes, numbered from `first` */
#define BENCH_CMD_RECV 'R'   /* server receives them and answers 'Y' (all verified) or 'N' */
#define BENCH_CMD_PING 'P'   /* server answers 'Y' (lets TLS 1.3 tickets arrive before close) */

static inline void bench_put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}
static inline uint32_t bench_get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void bench_command(unsigned char cmd[BENCH_CMD_SIZE], char letter, uint32_t size, uint32_t count,
                                 uint32_t first)
{
    cmd[0] = (unsigned char)letter; cmd[1] = cmd[2] = cmd[3] = 0;
    bench_put32(cmd + 4, size); bench_put32(cmd + 8, count); bench_put32(cmd + 12, first);
}

/* The bytes depend on the message's number, so a lost, repeated, reordered
 * or stale record cannot pass verification. */
static inline unsigned char bench_pattern_byte(uint32_t message, uint32_t index)
{
    return (unsigned char)((message * 131u + index * 7u + (index >> 8)) % 251u);
}

static inline void bench_fill(unsigned char *p, uint32_t message, uint32_t size)
{
    uint32_t i;
    for (i = 0; i < size; i++) p[i] = bench_pattern_byte(message, i);
}

static inline int bench_check(const unsigned char *p, uint32_t message, uint32_t size)
{
    uint32_t i;
    for (i = 0; i < size; i++)
        if (p[i] != bench_pattern_byte(message, i)) return 0;
    return 1;
}

/* Counts the complete TLS records in data[0..len) starting at *pos, moving
 * *pos past them. */
static inline size_t bench_count_records(const unsigned char *data, size_t len, size_t *pos)
{
    size_t n = 0;
    while (len - *pos >= 5) {
        size_t body = (size_t)data[*pos + 3] << 8 | data[*pos + 4];
        if (len - *pos < 5 + body) break;
        *pos += 5 + body;
        n++;
    }
    return n;
}

#endif
