/* test_view.c: the views on hand-built snapshots: visibility, the state
 * breakdown, top remote addresses and the sorted connection index. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "build.h"
#include "view/conn_order.h"
#include "view/flood.h"
#include "view/hash.h"
#include "view/view.h"

#define ALL_PROTOS (1u << PROTO_TCP | 1u << PROTO_UDP)

static struct filter *parse(const char *expr)
{
	char err[256];
	struct filter *f = filter_parse(expr, NULL, err, sizeof(err));

	if (!f)
		fail_msg("filter '%s': %s", expr, err);
	return f;
}

/* A small server: listeners, clients from three addresses, UDP. */
static struct snapshot *server(void)
{
	struct snapshot *s = snapshot_new(0);

	s->flags |= SNAP_HAS_EXTRA;	/* the uid the sort test sets */
	TCP4(s, ST_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);			/* 1 */
	TCP6(s, ST_LISTEN, "::", 22, "::", 0);					/* 2 */
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "192.0.2.7", 50001);		/* 3 */
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "192.0.2.7", 50002);		/* 4 */
	TCP4(s, ST_TIME_WAIT, "10.0.0.1", 80, "192.0.2.7", 50003);		/* 5 */
	TCP6(s, ST_ESTABLISHED, "::ffff:10.0.0.1", 80, "::ffff:192.0.2.7", 50004); /* 6 */
	TCP4(s, ST_SYN_RECV, "10.0.0.1", 80, "198.51.100.9", 40000);		/* 7 */
	TCP4(s, ST_SYN_RECV, "10.0.0.1", 80, "198.51.100.9", 40001);		/* 8 */
	TCP6(s, ST_ESTABLISHED, "2001:db8::1", 22, "2001:db8::99", 60000);	/* 9 */
	TCP6(s, ST_CLOSE_WAIT, "2001:db8::1", 22, "2001:db8::99", 60001);	/* 10 */
	TCP4(s, ST_SYN_SENT, "10.0.0.1", 41000, "203.0.113.5", 443);		/* 11 */
	UDP4(s, ST_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0);				/* 12 */
	UDP4(s, ST_ESTABLISHED, "10.0.0.1", 5353, "192.0.2.7", 53);		/* 13 */
	UDP6(s, ST_CLOSE, "::", 546, "::", 0);					/* 14 */
	return s;
}

static void test_visible(void **state)
{
	struct snapshot *s = server();
	struct view_options all = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct view_options tcp_only = { 1u << PROTO_TCP, LISTEN_ALL, NULL };
	struct view_options udp_only = { 1u << PROTO_UDP, LISTEN_ALL, NULL };
	struct view_options servers = { ALL_PROTOS, LISTEN_ONLY, NULL };
	struct view_options clients = { ALL_PROTOS, LISTEN_EXCLUDE, NULL };
	struct view_options none = { 0, LISTEN_ALL, NULL };

	(void)state;
	for (size_t i = 0; i < s->nsocks; i++) {
		const struct sock_rec *r = &s->socks[i];
		bool listening = r->rport == 0;

		assert_true(view_sock_visible(s, r, &all));
		assert_int_equal(view_sock_visible(s, r, &tcp_only), r->proto == PROTO_TCP);
		assert_int_equal(view_sock_visible(s, r, &udp_only), r->proto == PROTO_UDP);
		assert_int_equal(view_sock_visible(s, r, &servers), listening);
		assert_int_equal(view_sock_visible(s, r, &clients), !listening);
		assert_false(view_sock_visible(s, r, &none));
	}
	snapshot_free(s);
}

static void test_states(void **state)
{
	struct snapshot *s = server();
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct state_counts c;

	(void)state;
	view_states(s, &o, &c);
	assert_int_equal(c.total, 11);		/* TCP only */
	assert_int_equal(c.n[ST_LISTEN], 2);
	assert_int_equal(c.n[ST_ESTABLISHED], 4);
	assert_int_equal(c.n[ST_TIME_WAIT], 1);
	assert_int_equal(c.n[ST_SYN_RECV], 2);
	assert_int_equal(c.n[ST_CLOSE_WAIT], 1);
	assert_int_equal(c.n[ST_SYN_SENT], 1);
	assert_int_equal(c.n[ST_CLOSE], 0);	/* UDP's CLOSE is not counted */
	o.listen = LISTEN_EXCLUDE;
	view_states(s, &o, &c);
	assert_int_equal(c.total, 9);
	assert_int_equal(c.n[ST_LISTEN], 0);
	o.protos = 1u << PROTO_UDP;
	view_states(s, &o, &c);
	assert_int_equal(c.total, 0);
	/* a state number out of range counts as UNKNOWN */
	s->socks[0].state = 200;
	o = (struct view_options){ ALL_PROTOS, LISTEN_ALL, NULL };
	view_states(s, &o, &c);
	assert_int_equal(c.n[ST_UNKNOWN], 1);
	assert_int_equal(c.total, 11);
	snapshot_free(s);
}

static void assert_row(const struct remote_row *r, int family, const char *addr, uint32_t n)
{
	uint8_t a[16];

	build_addr(family, addr, a);
	assert_int_equal(r->family, family);
	assert_memory_equal(r->addr, a, family == 4 ? 4 : 16);
	assert_int_equal(r->connections, n);
}

static void test_top_remote(void **state)
{
	struct snapshot *s = server();
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct remote_row *rows;
	long n;

	(void)state;
	n = view_top_remote(s, &o, 0, &rows);
	/* wildcard remotes and UDP left out; ::ffff:192.0.2.7 is 192.0.2.7 */
	assert_int_equal(n, 4);
	assert_row(&rows[0], 4, "192.0.2.7", 4);
	assert_int_equal(rows[0].by_state[ST_ESTABLISHED], 3);
	assert_int_equal(rows[0].by_state[ST_TIME_WAIT], 1);
	/* ties (2 each) by family, then address */
	assert_row(&rows[1], 4, "198.51.100.9", 2);
	assert_int_equal(rows[1].by_state[ST_SYN_RECV], 2);
	assert_row(&rows[2], 6, "2001:db8::99", 2);
	assert_int_equal(rows[2].by_state[ST_CLOSE_WAIT], 1);
	assert_row(&rows[3], 4, "203.0.113.5", 1);
	free(rows);

	n = view_top_remote(s, &o, 2, &rows);
	assert_int_equal(n, 2);
	assert_row(&rows[1], 4, "198.51.100.9", 2);
	free(rows);

	o.filter = parse("state established");
	n = view_top_remote(s, &o, 0, &rows);
	assert_int_equal(n, 2);
	assert_row(&rows[0], 4, "192.0.2.7", 3);
	assert_row(&rows[1], 6, "2001:db8::99", 1);
	free(rows);
	filter_free((struct filter *)o.filter);

	/* no TCP: no rows (and nothing leaked) */
	o = (struct view_options){ 1u << PROTO_UDP, LISTEN_ALL, NULL };
	n = view_top_remote(s, &o, 0, &rows);
	assert_int_equal(n, 0);
	free(rows);
	snapshot_free(s);
}

/* Many remotes: the table and the row array grow; order holds. */
static void test_top_remote_many(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct remote_row *rows;
	char addr[32];
	long n;

	(void)state;
	/* remote 10.0.i.j gets (i % 5) + 1 connections */
	for (int i = 0; i < 40; i++)
		for (int j = 0; j < 25; j++)
			for (int k = 0; k <= i % 5; k++) {
				snprintf(addr, sizeof(addr), "10.0.%d.%d", i, j);
				TCP4(s, ST_ESTABLISHED, "10.1.0.1", 443, addr, (uint16_t)(1024 + k));
			}
	n = view_top_remote(s, &o, 0, &rows);
	assert_int_equal(n, 1000);
	for (long i = 1; i < n; i++) {
		assert_true(rows[i - 1].connections >= rows[i].connections);
		if (rows[i - 1].connections == rows[i].connections)
			assert_true(memcmp(rows[i - 1].addr, rows[i].addr, 4) < 0);
	}
	assert_int_equal(rows[0].connections, 5);
	assert_row(&rows[0], 4, "10.0.4.0", 5);
	assert_row(&rows[n - 1], 4, "10.0.35.24", 1);
	free(rows);
	n = view_top_remote(s, &o, 20, &rows);
	assert_int_equal(n, 20);
	free(rows);
	snapshot_free(s);
}

/* Every visible socket in order (NULL sort: the snapshot's order), each
 * row asked of the order in turn: the whole sort the tests compare with. */
static long sorted_rows(const struct snapshot *snap, const struct view_options *opts,
			const struct conn_sort *sort, uint32_t **index)
{
	struct conn_order o;
	uint32_t *idx;
	size_t n;

	if (conn_order_build(&o, snap, opts, sort) < 0)
		return -1;
	if (!(idx = malloc((o.n ? o.n : 1) * sizeof(*idx)))) {
		conn_order_free(&o);
		return -1;
	}
	for (size_t row = 0; row < o.n; row++)
		idx[row] = conn_order_at(&o, row);
	*index = idx;
	n = o.n;
	conn_order_free(&o);
	return (long)n;
}

static long conns(const struct snapshot *s, const struct view_options *o, enum field_id key,
		  bool desc, uint32_t **idx)
{
	struct conn_sort sort = { key, desc };

	return sorted_rows(s, o, &sort, idx);
}

static void test_conns_filtering(void **state)
{
	struct snapshot *s = server();
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	uint32_t *idx;
	long n;

	(void)state;
	n = sorted_rows(s, &o, NULL, &idx);	/* unsorted: the snapshot's order */
	assert_int_equal(n, 14);
	for (long i = 0; i < n; i++)
		assert_int_equal(idx[i], i);
	free(idx);

	o.protos = 1u << PROTO_UDP;
	assert_int_equal(sorted_rows(s, &o, NULL, &idx), 3);
	free(idx);
	o.protos = ALL_PROTOS;
	o.listen = LISTEN_ONLY;
	assert_int_equal(sorted_rows(s, &o, NULL, &idx), 4);
	free(idx);
	o.listen = LISTEN_EXCLUDE;
	assert_int_equal(sorted_rows(s, &o, NULL, &idx), 10);
	free(idx);

	o.listen = LISTEN_ALL;
	o.filter = parse("state syn-recv,syn-sent");
	n = sorted_rows(s, &o, NULL, &idx);
	assert_int_equal(n, 3);
	assert_int_equal(idx[0], 6);
	assert_int_equal(idx[2], 10);
	free(idx);
	filter_free((struct filter *)o.filter);

	o.filter = parse("192.0.2.7");	/* text, as on screen */
	assert_int_equal(sorted_rows(s, &o, NULL, &idx), 5);
	free(idx);
	filter_free((struct filter *)o.filter);

	o.filter = parse(":22");
	assert_int_equal(sorted_rows(s, &o, NULL, &idx), 3);
	free(idx);
	filter_free((struct filter *)o.filter);

	/* an empty snapshot */
	snapshot_free(s);
	s = snapshot_new(0);
	o.filter = NULL;
	assert_int_equal(sorted_rows(s, &o, NULL, &idx), 0);
	free(idx);
	snapshot_free(s);
}

static void test_conns_sorting(void **state)
{
	struct snapshot *s = server();
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	uint32_t *asc, *desc;
	long n;

	(void)state;
	for (size_t i = 0; i < s->nsocks; i++) {
		s->socks[i].recv_q = (uint32_t)(i % 3);	/* many ties */
		s->socks[i].send_q = (uint32_t)(100 - i);
		build_extra(s, &s->socks[i])->uid = (uint32_t)(i % 2);
	}
	/* every field sorts, both ways; ties fall back to the cookie, so
	 * descending is exactly ascending reversed */
	for (int f = 0; f < FIELD_COUNT; f++) {
		const struct field *fd = field_get(f);

		n = conns(s, &o, f, false, &asc);
		assert_int_equal(n, 14);
		assert_int_equal(conns(s, &o, f, true, &desc), 14);
		for (long i = 0; i < n; i++)
			assert_int_equal(asc[i], desc[n - 1 - i]);
		for (long i = 1; i < n; i++) {
			const struct sock_rec *a = &s->socks[asc[i - 1]], *b = &s->socks[asc[i]];
			int c = fd->compare(s, a, b);

			assert_true(c <= 0);
			if (c == 0)
				assert_true(a->cookie < b->cookie);
		}
		free(asc);
		free(desc);
	}

	n = conns(s, &o, FIELD_RECV_Q, false, &asc);
	/* recv_q 0 at 0,3,6,9,12 then 1 at 1,4,7,10,13: stable by cookie */
	assert_int_equal(asc[0], 0);
	assert_int_equal(asc[1], 3);
	assert_int_equal(asc[4], 12);
	assert_int_equal(asc[5], 1);
	free(asc);
	n = conns(s, &o, FIELD_SEND_Q, true, &desc);
	for (long i = 0; i < n; i++)
		assert_int_equal(desc[i], i);
	free(desc);
	/* by remote: IPv4 before IPv6, addresses in byte order, then ports */
	n = conns(s, &o, FIELD_REMOTE, false, &asc);
	assert_int_equal(s->socks[asc[0]].family, 4);
	assert_int_equal(s->socks[asc[n - 1]].family, 6);
	free(asc);
	snapshot_free(s);
}

/* Sorting by keys agrees with each field's comparator on many sockets with
 * many ties: IPv6 addresses that share their first 64 bits, programs that
 * share a name, rates, every state. */
static void test_conns_sorting_keys(void **state)
{
	static const char *const comms[] = { "nginx", "sshd", "nginx", "", "a\033b", "sshd" };
	struct snapshot *s = snapshot_new(0);
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	unsigned seed = 12345;
	uint32_t *asc, *desc;

	(void)state;
	for (size_t i = 0; i < sizeof(comms) / sizeof(comms[0]); i++)
		assert_int_equal(snapshot_add_proc(s, (int32_t)(900 - i), 0, comms[i]), (int)i);
	for (int i = 0; i < 3000; i++) {
		char a[64], b[64];
		bool v6 = rand_r(&seed) % 3 == 0;
		struct sock_rec *r;

		if (v6) {
			snprintf(a, sizeof(a), "2001:db8::%x:%x", rand_r(&seed) % 4, rand_r(&seed) % 3);
			snprintf(b, sizeof(b), "::ffff:10.0.%d.%d", rand_r(&seed) % 2, rand_r(&seed) % 3);
		} else {
			snprintf(a, sizeof(a), "127.0.%d.%d", rand_r(&seed) % 2, rand_r(&seed) % 4);
			snprintf(b, sizeof(b), "10.%d.0.%d", rand_r(&seed) % 300 % 256, rand_r(&seed) % 3);
		}
		r = build_sock(s, rand_r(&seed) % 2 ? PROTO_TCP : PROTO_UDP, v6 ? 6 : 4,
			       (enum tcp_state)(rand_r(&seed) % ST_COUNT), a, (uint16_t)(rand_r(&seed) % 5),
			       b, (uint16_t)(rand_r(&seed) % 70000));
		r->cookie = (uint64_t)rand_r(&seed) << 33 | (uint64_t)i;	/* unique, not in order */
		r->recv_q = (uint32_t)(rand_r(&seed) % 4);
		r->rtt_us = (uint32_t)rand_r(&seed);
		r->rx_bps = (float)(rand_r(&seed) % 5) * 1000.5f;
		r->tx_bps = rand_r(&seed) % 4 ? 0.0f : -0.0f;
		r->owner = (int32_t)(rand_r(&seed) % 8) - 2;	/* pending, none, or a program */
	}
	for (int f = 0; f < FIELD_COUNT; f++) {
		const struct field *fd = field_get(f);
		long n = conns(s, &o, f, false, &asc);

		assert_int_equal(n, 3000);
		assert_int_equal(conns(s, &o, f, true, &desc), n);
		for (long i = 1; i < n; i++) {
			const struct sock_rec *a = &s->socks[asc[i - 1]], *b = &s->socks[asc[i]];
			int c = fd->compare(s, a, b);

			if (c > 0 || (c == 0 && a->cookie >= b->cookie))
				fail_msg("field %s: rows %ld and %ld out of order", fd->name, i - 1, i);
			assert_int_equal(asc[i], desc[n - 1 - i]);
		}
		free(asc);
		free(desc);
	}
	snapshot_free(s);
}

/* The order settled on demand (rows asked for in any order, sockets found
 * by cookie) is the whole sort's, row for row: the keys of the test above,
 * looked at as a screen does, a window here, a jump there. */
static void test_conn_order_on_demand(void **state)
{
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct snapshot *s = snapshot_new(0);
	unsigned seed = 4242;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		char a[64];
		struct sock_rec *r;

		snprintf(a, sizeof(a), i % 3 ? "10.0.%d.%d" : "2001:db8::%x:%x", rand_r(&seed) % 3,
			 rand_r(&seed) % 5);
		r = build_sock(s, PROTO_TCP, i % 3 ? 4 : 6, (enum tcp_state)(rand_r(&seed) % ST_COUNT),
			       i % 3 ? "127.0.0.1" : "::1", 80, a, (uint16_t)(rand_r(&seed) % 7));
		r->cookie = (uint64_t)rand_r(&seed) << 32 | (uint64_t)i;
		r->recv_q = (uint32_t)(rand_r(&seed) % 3);
	}
	for (int f = 0; f < FIELD_COUNT; f++) {
		for (int desc = 0; desc < 2; desc++) {
			struct conn_sort sort = { f, desc };
			struct conn_order ord;
			uint32_t *all;
			long n = sorted_rows(s, &o, &sort, &all);

			assert_int_equal(n, 2000);
			assert_int_equal(conn_order_build(&ord, s, &o, &sort), 0);
			for (int k = 0; k < 300; k++) {
				size_t row = (size_t)rand_r(&seed) % (size_t)n;
				uint64_t cookie = s->socks[all[rand_r(&seed) % n]].cookie;
				long found = conn_order_find(&ord, cookie);

				assert_int_equal(conn_order_at(&ord, row), all[row]);
				assert_true(found >= 0);
				assert_int_equal(s->socks[all[found]].cookie, cookie);
				/* a window of rows, as a screen draws */
				for (size_t w = row; w < row + 40 && w < (size_t)n; w++)
					assert_int_equal(conn_order_at(&ord, w), all[w]);
			}
			for (long row = n - 1; row >= 0; row--)
				assert_int_equal(conn_order_at(&ord, (size_t)row), all[row]);
			assert_int_equal(conn_order_find(&ord, 12345), -1);
			conn_order_free(&ord);
			free(all);
		}
	}
	snapshot_free(s);
}

/* IPv4 and IPv6 remotes, TCP and UDP, listeners: for the census tests. */
static struct snapshot *many_remotes_for_census(void)
{
	struct snapshot *s = snapshot_new(0);
	unsigned seed = 99;

	for (int i = 0; i < 3000; i++) {
		char a[64];
		int v6 = rand_r(&seed) % 4 == 0;
		struct sock_rec *r;

		if (v6)
			snprintf(a, sizeof(a), "2001:db8::%x", rand_r(&seed) % 50);
		else
			snprintf(a, sizeof(a), "10.0.%d.%d", rand_r(&seed) % 3, rand_r(&seed) % 90);
		r = build_sock(s, rand_r(&seed) % 5 ? PROTO_TCP : PROTO_UDP, v6 ? 6 : 4,
			       (enum tcp_state)(rand_r(&seed) % ST_COUNT), v6 ? "::1" : "127.0.0.1",
			       (uint16_t)(80 + rand_r(&seed) % 3), a, (uint16_t)(1000 + i));
		r->cookie = (uint64_t)rand_r(&seed) << 32 | (uint64_t)i;
	}
	TCP4(s, ST_LISTEN, "127.0.0.1", 80, "0.0.0.0", 0);
	TCP6(s, ST_LISTEN, "::1", 80, "::", 0);
	return s;
}

/* The census in two halves (as the screen's worker and its helper count a
 * sample) adds up to the census of the whole: counts, remote addresses and
 * the connections' order alike. */
static void test_census_halves(void **state)
{
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct snapshot *s = many_remotes_for_census();
	struct conn_sort sort = { FIELD_REMOTE, false };
	struct census whole, first, second;
	struct addr_groups g1, g2, gw;
	struct conn_order o1, o2, ow;
	struct remote_row *rows_w, *rows_h;
	size_t mid = s->nsocks / 2;
	long nw, nh;

	(void)state;
	assert_int_equal(addr_groups_init(&gw, s->nsocks), 0);
	assert_int_equal(addr_groups_init(&g1, s->nsocks), 0);
	assert_int_equal(addr_groups_init(&g2, s->nsocks - mid), 0);
	assert_int_equal(conn_order_init(&ow, s, &sort, s->nsocks), 0);
	assert_int_equal(conn_order_init(&o1, s, &sort, s->nsocks), 0);
	assert_int_equal(conn_order_init(&o2, s, &sort, s->nsocks - mid), 0);
	assert_int_equal(view_census(s, &o, &whole, &(struct census_gather){ .remotes = &gw, .conns = &ow }), 0);
	assert_int_equal(view_census_range(s, &o, 0, mid, &first,
					   &(struct census_gather){ .remotes = &g1, .conns = &o1 }), 0);
	assert_int_equal(view_census_range(s, &o, mid, s->nsocks, &second,
					   &(struct census_gather){ .remotes = &g2, .conns = &o2 }), 0);
	census_add(&first, &second);
	assert_memory_equal(&first, &whole, sizeof(whole));
	assert_int_equal(first.tcp + first.udp, s->nsocks);
	assert_int_equal(addr_groups_append(&g1, &g2), 0);
	conn_order_append(&o1, &o2);
	conn_order_finish(&o1);
	conn_order_finish(&ow);
	assert_int_equal(o1.n, ow.n);
	for (size_t row = 0; row < ow.n; row++)
		assert_int_equal(conn_order_at(&o1, row), conn_order_at(&ow, row));
	nw = top_remote_rows(&gw, 0, &rows_w);
	nh = top_remote_rows(&g1, 0, &rows_h);
	assert_true(nw > 100);
	assert_int_equal(nh, nw);
	assert_memory_equal(rows_h, rows_w, (size_t)nw * sizeof(*rows_w));
	free(rows_w);
	free(rows_h);
	addr_groups_free(&gw);
	addr_groups_free(&g1);
	addr_groups_free(&g2);
	conn_order_free(&ow);
	conn_order_free(&o1);
	conn_order_free(&o2);
	snapshot_free(s);
}

static void assert_same_report(const struct flood_report *a, const struct flood_report *b)
{
	assert_int_equal(a->syn_recv, b->syn_recv);
	assert_int_equal(a->alert, b->alert);
	assert_int_equal(a->nlisteners, b->nlisteners);
	assert_int_equal(a->nsources, b->nsources);
	assert_memory_equal(a->listeners, b->listeners, a->nlisteners * sizeof(*a->listeners));
	assert_memory_equal(a->sources, b->sources, a->nsources * sizeof(*a->sources));
}

/* The flood report from what the census gathered, in halves or whole, is
 * view_flood()'s own. */
static void test_census_flood(void **state)
{
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct view_options flood_opts = { 1u << PROTO_TCP, LISTEN_ALL, NULL };
	struct snapshot *s = many_remotes_for_census();
	size_t mid = s->nsocks / 3;
	struct flood_report direct, whole, halves;
	struct flood_gather fw, f1, f2;
	struct census c1, c2;

	(void)state;
	for (int net = 0; net < 2; net++) {
		assert_int_equal(view_flood(s, &flood_opts, &flood_default_thresholds, net, 0, &direct), 0);
		assert_true(direct.syn_recv > 100);
		assert_int_equal(flood_gather_init(&fw, s, s->nsocks, net), 0);
		assert_int_equal(flood_gather_init(&f1, s, s->nsocks, net), 0);
		assert_int_equal(flood_gather_init(&f2, s, s->nsocks - mid, net), 0);
		assert_int_equal(view_census(s, &o, &c1, &(struct census_gather){ .flood = &fw }), 0);
		assert_int_equal(view_census_range(s, &o, 0, mid, &c1,
						   &(struct census_gather){ .flood = &f1 }), 0);
		assert_int_equal(view_census_range(s, &o, mid, s->nsocks, &c2,
						   &(struct census_gather){ .flood = &f2 }), 0);
		assert_int_equal(flood_gather_append(&f1, &f2), 0);
		assert_int_equal(view_flood_gathered(&fw, &flood_default_thresholds, 0, &whole), 0);
		assert_int_equal(view_flood_gathered(&f1, &flood_default_thresholds, 0, &halves), 0);
		assert_same_report(&whole, &direct);
		assert_same_report(&halves, &direct);
		flood_report_free(&direct);
		flood_report_free(&whole);
		flood_report_free(&halves);
		flood_gather_free(&fw);
		flood_gather_free(&f1);
		flood_gather_free(&f2);
	}
	snapshot_free(s);
}

/* A census stopped by its cancel callback says so. */
static bool always(const void *arg)
{
	(void)arg;
	return true;
}

static void test_census_cancelled(void **state)
{
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct snapshot *s = many_remotes_for_census();
	struct census c;

	(void)state;
	assert_int_equal(view_census(s, &o, &c, &(struct census_gather){ .cancelled = always }),
			 -ECANCELED);
	snapshot_free(s);
}

/* Many remote addresses with tied counts, IPv6 ones that share their first
 * 8 bytes: grouped right, and ordered by count, family, then bytes. */
static struct snapshot *many_remotes(void)
{
	struct snapshot *s = snapshot_new(0);
	unsigned seed = 777;

	for (int i = 0; i < 5000; i++) {
		char a[64];
		int v6 = rand_r(&seed) % 3 == 0;

		if (v6)
			snprintf(a, sizeof(a), "2001:db8::%x:%x", rand_r(&seed) % 3, rand_r(&seed) % 40);
		else
			snprintf(a, sizeof(a), "10.%d.%d.%d", rand_r(&seed) % 2, rand_r(&seed) % 3,
				 rand_r(&seed) % 60);
		build_sock(s, PROTO_TCP, v6 ? 6 : 4, ST_SYN_RECV, v6 ? "::1" : "127.0.0.1", 80, a,
			   (uint16_t)(1000 + i));
	}
	TCP4(s, ST_LISTEN, "127.0.0.1", 80, "0.0.0.0", 0);
	TCP6(s, ST_LISTEN, "::1", 80, "::", 0);
	return s;
}

static int count_remote(const struct snapshot *s, int family, const uint8_t *addr)
{
	int n = 0;

	for (size_t i = 0; i < s->nsocks; i++)
		n += s->socks[i].family == family && s->socks[i].rport &&
		     !memcmp(sock_raddr(&s->socks[i]).b, addr, family == 4 ? 4 : 16);
	return n;
}

static int group_cmp(uint32_t na, int fa, const uint8_t *a, uint32_t nb, int fb, const uint8_t *b)
{
	if (na != nb)
		return na > nb ? -1 : 1;
	if (fa != fb)
		return fa < fb ? -1 : 1;
	return memcmp(a, b, 16);
}

static void test_top_remote_order(void **state)
{
	struct snapshot *s = many_remotes();
	struct view_options o = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct flood_report fr;
	struct remote_row *rows;
	long n = view_top_remote(s, &o, 0, &rows);
	uint32_t total = 0;

	(void)state;
	assert_true(n > 100);
	for (long i = 0; i < n; i++) {
		total += rows[i].connections;
		assert_int_equal(rows[i].connections, count_remote(s, rows[i].family, rows[i].addr));
		if (i)
			assert_true(group_cmp(rows[i - 1].connections, rows[i - 1].family, rows[i - 1].addr,
					      rows[i].connections, rows[i].family, rows[i].addr) < 0);
	}
	assert_int_equal(total, 5000);
	free(rows);
	/* the flood view's sources: the same groups, the same order */
	assert_int_equal(view_flood(s, &o, &flood_default_thresholds, false, 0, &fr), 0);
	assert_int_equal((long)fr.nsources, n);
	assert_int_equal(fr.syn_recv, 5000);
	assert_int_equal(fr.nlisteners, 2);
	assert_int_equal(fr.listeners[0].syn_recv + fr.listeners[1].syn_recv, 5000);
	for (size_t i = 0; i < fr.nsources; i++) {
		const struct flood_source *x = &fr.sources[i];

		assert_int_equal(x->syn_recv, count_remote(s, x->family, x->addr));
		if (i)
			assert_true(group_cmp(fr.sources[i - 1].syn_recv, fr.sources[i - 1].family,
					      fr.sources[i - 1].addr, x->syn_recv, x->family, x->addr) < 0);
	}
	flood_report_free(&fr);
	snapshot_free(s);
}

/* Sorting keeps to the visible rows. */
static void test_conns_sorted_and_filtered(void **state)
{
	struct snapshot *s = server();
	struct view_options o = { 1u << PROTO_TCP, LISTEN_EXCLUDE, NULL };
	uint32_t *idx;
	long n;

	(void)state;
	n = conns(s, &o, FIELD_STATE, false, &idx);
	assert_int_equal(n, 9);
	for (long i = 0; i < n; i++) {
		assert_int_equal(s->socks[idx[i]].proto, PROTO_TCP);
		assert_true(s->socks[idx[i]].rport != 0);
	}
	/* state sorts by name: CLOSE_WAIT first, TIME_WAIT last */
	assert_int_equal(s->socks[idx[0]].state, ST_CLOSE_WAIT);
	assert_int_equal(s->socks[idx[n - 1]].state, ST_TIME_WAIT);
	free(idx);
	snapshot_free(s);
}

/* The one hash (view/hash.h): bytes of any length, the length counted (a
 * text and the same text with a NUL more differ), every byte counted. */
static void test_hash_bytes(void **state)
{
	static const char *const texts[] = { "", "a", "state listen", "state listem", "0123456789abcdef",
					     "0123456789abcdeg", "tcp6 and :443" };
	uint8_t a4[16] = { 10, 0, 0, 1 }, b4[16] = { 10, 0, 0, 2 };

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_true(hash_bytes(0, texts[i], strlen(texts[i])) ==
			    hash_bytes(0, texts[i], strlen(texts[i])));
		assert_true(hash_bytes(0, texts[i], strlen(texts[i])) !=
			    hash_bytes(0, texts[i], strlen(texts[i]) + 1));
		assert_true(hash_bytes(0, texts[i], strlen(texts[i])) !=
			    hash_bytes(1, texts[i], strlen(texts[i])));
		for (size_t j = 0; j < i; j++)
			assert_true(hash_bytes(0, texts[i], strlen(texts[i])) !=
				    hash_bytes(0, texts[j], strlen(texts[j])));
	}
	assert_true(hash_bytes(4, a4, 4) != hash_bytes(4, b4, 4));
	assert_true(hash_addr(4, a4) != hash_addr(4, b4));
	assert_true(hash_addr(4, a4) != hash_addr(6, a4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_hash_bytes),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_top_remote),
		cmocka_unit_test(test_top_remote_many),
		cmocka_unit_test(test_conns_filtering),
		cmocka_unit_test(test_conns_sorting),
		cmocka_unit_test(test_conns_sorting_keys),
		cmocka_unit_test(test_conn_order_on_demand),
		cmocka_unit_test(test_census_halves),
		cmocka_unit_test(test_census_cancelled),
		cmocka_unit_test(test_census_flood),
		cmocka_unit_test(test_top_remote_order),
		cmocka_unit_test(test_conns_sorted_and_filtered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
