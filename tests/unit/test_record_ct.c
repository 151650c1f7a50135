/* test_record_ct.c: the conntrack table in a recording (record/codec_ct.c):
 * a frame carries it whole (or why it was absent) and gives it back; a frame
 * without it is byte for byte what nettop wrote before; a cut or changed
 * section is refused, never read past; a section of an unknown kind is
 * skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <netinet/in.h>

#include "build.h"
#include "record/codec.h"
#include "sample/conntrack.h"

static struct snapshot *sample(bool with_table)
{
	struct snapshot *s = snapshot_new(4);
	struct ct_table *t;

	assert_non_null(s);
	s->wall.tv_sec = 1700000000;
	s->mono.tv_sec = 100;
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.7", 40001);
	if (!with_table)
		return s;
	t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->v = calloc(2, sizeof(*t->v));
	assert_non_null(t->v);
	t->n = t->cap = 2;
	t->count = 2, t->max = 65536, t->stats.drop = 7, t->stats.search_restart = 3;
	t->v[0].family = 4;
	t->v[0].orig.proto = t->v[0].reply.proto = IPPROTO_TCP;
	build_addr(4, "10.1.0.5", t->v[0].orig.src);
	build_addr(4, "10.2.0.2", t->v[0].orig.dst);
	build_addr(4, "10.2.0.2", t->v[0].reply.src);
	build_addr(4, "10.2.0.1", t->v[0].reply.dst);
	t->v[0].orig.sport = 40000, t->v[0].orig.dport = 80;
	t->v[0].reply.sport = 80, t->v[0].reply.dport = 61000;
	t->v[0].has_tcp_state = true, t->v[0].tcp_state = 3;
	t->v[0].status = IPS_SRC_NAT | IPS_ASSURED, t->v[0].timeout = 431999, t->v[0].mark = 9;
	t->v[0].has_counters = true;
	t->v[0].packets[0] = 5, t->v[0].packets[1] = 6, t->v[0].bytes[0] = 500, t->v[0].bytes[1] = 1ULL << 40;
	t->v[1].family = 6;
	t->v[1].orig.proto = t->v[1].reply.proto = IPPROTO_UDP;
	build_addr(6, "fd00::5", t->v[1].orig.src);
	build_addr(6, "fd00::2", t->v[1].orig.dst);
	build_addr(6, "fd00::2", t->v[1].reply.src);
	build_addr(6, "fd00::5", t->v[1].reply.dst);
	t->v[1].orig.sport = 5353, t->v[1].orig.dport = 53;
	t->v[1].reply.sport = 53, t->v[1].reply.dport = 5353;
	s->conntrack = t;
	return s;
}

/* The payload of s's frame (the frame header and CRC cut off). */
static unsigned char *payload_of(const struct snapshot *s, size_t *len)
{
	size_t frame;
	unsigned char *p = record_encode(s, NULL, &frame), *out;

	assert_non_null(p);
	*len = frame - RECORD_FRAME_HEADER_SIZE - 4;
	out = malloc(*len);
	assert_non_null(out);
	memcpy(out, p + RECORD_FRAME_HEADER_SIZE, *len);
	free(p);
	return out;
}

static void test_table_round_trip(void **state)
{
	struct snapshot *s = sample(true), *back;
	size_t len;
	unsigned char *p = payload_of(s, &len);

	(void)state;
	back = record_decode(p, len, NULL);
	assert_non_null(back);
	assert_int_equal(back->nsocks, 1);
	assert_non_null(back->conntrack);
	assert_int_equal(back->conntrack->count, 2);
	assert_int_equal(back->conntrack->max, 65536);
	assert_int_equal(back->conntrack->stats.drop, 7);
	assert_int_equal(back->conntrack->stats.search_restart, 3);
	assert_int_equal(back->conntrack->n, 2);
	assert_memory_equal(back->conntrack->v, s->conntrack->v, 2 * sizeof(struct ct_flow));
	snapshot_free(back);
	snapshot_free(s);
	free(p);
}

static void test_absent_round_trip(void **state)
{
	struct snapshot *s = sample(false), *back;
	size_t len;
	unsigned char *p;

	(void)state;
	s->conntrack_absent = "reading conntrack needs CAP_NET_ADMIN";
	p = payload_of(s, &len);
	back = record_decode(p, len, NULL);
	assert_non_null(back);
	assert_null(back->conntrack);
	assert_string_equal(back->conntrack_absent, "reading conntrack needs CAP_NET_ADMIN");
	snapshot_free(back);
	snapshot_free(s);
	free(p);
}

/* Without a table the frame has no section: an older nettop reads it, and
 * this one reads an older nettop's frames (every test fixture) as before. */
static void test_no_table_no_section(void **state)
{
	struct snapshot *plain = sample(false), *with = sample(true), *back;
	size_t len_plain, len_with;
	unsigned char *a = payload_of(plain, &len_plain), *b = payload_of(with, &len_with);

	(void)state;
	assert_true(len_with > len_plain);
	assert_memory_equal(a, b, len_plain);
	back = record_decode(a, len_plain, NULL);
	assert_non_null(back);
	assert_null(back->conntrack);
	assert_null(back->conntrack_absent);
	snapshot_free(back);
	snapshot_free(plain);
	snapshot_free(with);
	free(a);
	free(b);
}

/* Every cut inside the section, and every byte of it changed: refused or
 * decoded whole, never read past (SAN=1). */
static void test_cut_and_changed(void **state)
{
	struct snapshot *plain = sample(false), *s = sample(true), *back;
	size_t len, start;
	unsigned char *p = payload_of(s, &len), *copy;

	(void)state;
	free(payload_of(plain, &start));
	for (size_t cut = start + 1; cut < len; cut++) {
		copy = malloc(cut);
		assert_non_null(copy);
		memcpy(copy, p, cut);
		back = record_decode(copy, cut, NULL);
		assert_null(back);
		free(copy);
	}
	for (size_t i = start; i < len; i++) {
		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, p, len);
		copy[i] ^= 0xa5;
		snapshot_free(record_decode(copy, len, NULL));
		free(copy);
	}
	snapshot_free(plain);
	snapshot_free(s);
	free(p);
}

/* A later nettop's section (tag 9) is skipped; the table still read. */
static void test_unknown_section_skipped(void **state)
{
	struct snapshot *s = sample(true), *back;
	size_t len;
	unsigned char *p = payload_of(s, &len), *more = malloc(len + 5);

	(void)state;
	assert_non_null(more);
	memcpy(more, p, len);
	memcpy(more + len, "\x09\x03xyz", 5);
	back = record_decode(more, len + 5, NULL);
	assert_non_null(back);
	assert_non_null(back->conntrack);
	assert_int_equal(back->conntrack->n, 2);
	snapshot_free(back);
	/* a second conntrack section is malformed */
	memcpy(more + len, "\x01\x03xyz", 5);
	assert_null(record_decode(more, len + 5, NULL));
	snapshot_free(s);
	free(p);
	free(more);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_round_trip),
		cmocka_unit_test(test_absent_round_trip),
		cmocka_unit_test(test_no_table_no_section),
		cmocka_unit_test(test_cut_and_changed),
		cmocka_unit_test(test_unknown_section_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
