/* synsniff.c: the ring is drained without waiting at every sample; when the
 * sampler falls behind, the kernel drops into its own counters rather than
 * making anyone wait. */
#include "synsniff.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../view/hash.h"

#define BLOCK_SIZE (1 << 16)
#define BLOCK_COUNT 64			/* a 4 MiB ring */
#define FRAME_SIZE 128			/* headers only */
#define SNAP_LEN 64
#define MAX_SOURCES 65536		/* distinct sources counted per sample */

struct synsniff {
	int fd;
	uint8_t *ring;
	size_t ring_len;
	unsigned next_block;
};

/* A cooked (SOCK_DGRAM) socket sees packets from the IP header on. Passes
 * incoming IPv4 and IPv6 TCP segments with SYN set and ACK clear (IPv6 only
 * without extension headers; IPv4 only first fragments). */
static const struct sock_filter syn_filter[] = {
	/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)),
	/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 16, 0),	/* -> 18 */
	/* 2 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
	/* 3 */ BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 4),
	/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4, 0, 8),			/* IPv6 -> 13 */
	/* IPv4: protocol TCP, fragment offset 0, then the flags at ihl*4 + 13 */
	/* 5 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
	/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 11),	/* -> 18 */
	/* 7 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
	/* 8 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 9, 0),		/* -> 18 */
	/* 9 */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
	/* 10 */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, 13),
	/* 11 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x12),
	/* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x02, 6, 5),		/* -> 19 : 18 */
	/* IPv6: next header TCP, flags at 40 + 13 */
	/* 13 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),
	/* 14 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 3),	/* -> 18 */
	/* 15 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 53),
	/* 16 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x12),
	/* 17 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x02, 1, 0),		/* -> 19 : 18 */
	/* 18 */ BPF_STMT(BPF_RET | BPF_K, 0),
	/* 19 */ BPF_STMT(BPF_RET | BPF_K, SNAP_LEN),
};

struct synsniff *synsniff_open(int *err)
{
	struct sock_fprog prog = { sizeof(syn_filter) / sizeof(syn_filter[0]), (struct sock_filter *)syn_filter };
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SIZE, .tp_block_nr = BLOCK_COUNT,
		.tp_frame_size = FRAME_SIZE, .tp_frame_nr = BLOCK_SIZE / FRAME_SIZE * BLOCK_COUNT,
		.tp_retire_blk_tov = 50,	/* ms: a quiet block is handed over soon */
	};
	int version = TPACKET_V3;
	struct synsniff *s = calloc(1, sizeof(*s));

	*err = -ENOMEM;
	if (!s)
		return NULL;
	s->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (s->fd < 0 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) < 0 ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		goto fail;
	s->ring_len = (size_t)BLOCK_SIZE * BLOCK_COUNT;
	s->ring = mmap(NULL, s->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, s->fd, 0);
	if (s->ring == MAP_FAILED)
		s->ring = mmap(NULL, s->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->ring == MAP_FAILED) {
		s->ring = NULL;
		goto fail;
	}
	*err = 0;
	return s;
fail:
	*err = -errno;
	synsniff_close(s);
	return NULL;
}

void synsniff_close(struct synsniff *s)
{
	if (!s)
		return;
	if (s->ring)
		munmap(s->ring, s->ring_len);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

/* Counts the SYN in one packet that starts at its IP header; 0 if it is
 * none. The BPF filter passes only SYNs, but a packet is still checked
 * before it is read. */
static int synsniff_parse(const uint8_t *pkt, size_t len, int *family, uint8_t addr[16])
{
	size_t ihl, flags_at;

	if (len < 1)
		return 0;
	memset(addr, 0, 16);
	if (pkt[0] >> 4 == 4) {
		if (len < 20 || pkt[9] != IPPROTO_TCP || (pkt[6] & 0x1f) || pkt[7])
			return 0;
		ihl = (size_t)(pkt[0] & 0x0f) * 4;
		flags_at = ihl + 13;
		if (ihl < 20 || len <= flags_at)
			return 0;
		*family = 4;
		memcpy(addr, pkt + 12, 4);
	} else if (pkt[0] >> 4 == 6) {
		flags_at = 40 + 13;
		if (len <= flags_at || pkt[6] != IPPROTO_TCP)
			return 0;
		*family = 6;
		memcpy(addr, pkt + 8, 16);
	} else {
		return 0;
	}
	return (pkt[flags_at] & 0x12) == 0x02;
}

/* Per-sample counts, grouped by source in a table sized to MAX_SOURCES. */
struct counts {
	struct syn_source *rows;
	uint32_t *slots;
	size_t n, mask;
	uint64_t total, overflow;
};

static void count_source(struct counts *c, int family, const uint8_t addr[16])
{
	size_t i;

	c->total++;
	for (i = hash_addr((uint64_t)family, addr) & c->mask; c->slots[i]; i = (i + 1) & c->mask) {
		struct syn_source *r = &c->rows[c->slots[i] - 1];

		if (r->family == family && !memcmp(r->addr, addr, 16)) {
			r->packets++;
			return;
		}
	}
	if (c->n == MAX_SOURCES) {
		c->overflow++;
		return;
	}
	c->rows[c->n] = (struct syn_source){ .family = (uint8_t)family, .packets = 1 };
	memcpy(c->rows[c->n].addr, addr, 16);
	c->slots[i] = (uint32_t)++c->n;
}

static void drain_block(struct synsniff *s, struct tpacket_block_desc *b, struct counts *c)
{
	struct tpacket3_hdr *h = (struct tpacket3_hdr *)((uint8_t *)b + b->hdr.bh1.offset_to_first_pkt);

	for (uint32_t i = 0; i < b->hdr.bh1.num_pkts; i++) {
		const uint8_t *pkt = (const uint8_t *)h + h->tp_mac;
		uint8_t addr[16];
		int family;

		/* the kernel's offsets are trusted no further than the block */
		if ((const uint8_t *)h + h->tp_mac + h->tp_snaplen <= (uint8_t *)b + BLOCK_SIZE &&
		    synsniff_parse(pkt, h->tp_snaplen, &family, addr))
			count_source(c, family, addr);
		if (!h->tp_next_offset)
			break;
		h = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
	}
	(void)s;
}

static int source_cmp(const void *a, const void *b)
{
	const struct syn_source *x = a, *y = b;

	if (x->packets != y->packets)
		return x->packets > y->packets ? -1 : 1;
	return memcmp(x->addr, y->addr, 16);
}

int synsniff_drain(struct synsniff *s, struct snapshot *snap)
{
	struct counts c = { 0 };
	struct tpacket_stats_v3 st;
	socklen_t stlen = sizeof(st);

	c.rows = malloc(MAX_SOURCES * sizeof(*c.rows));
	c.slots = calloc(MAX_SOURCES * 2, sizeof(*c.slots));
	c.mask = MAX_SOURCES * 2 - 1;
	if (!c.rows || !c.slots) {
		free(c.rows);
		free(c.slots);
		return -ENOMEM;
	}
	for (unsigned seen = 0; seen < BLOCK_COUNT; seen++) {
		struct tpacket_block_desc *b =
			(struct tpacket_block_desc *)(s->ring + (size_t)s->next_block * BLOCK_SIZE);

		if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		drain_block(s, b, &c);
		__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		s->next_block = (s->next_block + 1) % BLOCK_COUNT;
	}
	free(c.slots);
	qsort(c.rows, c.n, sizeof(*c.rows), source_cmp);
	snap->syn_packets = c.rows;
	snap->nsyn_packets = c.n;
	snap->syn_packets_total = c.total;
	snap->syn_packets_dropped = c.overflow;
	if (getsockopt(s->fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen) == 0)
		snap->syn_packets_dropped += st.tp_drops;	/* reading resets them */
	snap->flags |= SNAP_HAS_SYN_PACKETS;
	return 0;
}
