/* test_events.c: the destroy-event parser on recorded events
 * (tests/fixtures/netlink/destroy.bin, see its README), cut and corrupted;
 * the join of events to built samples; the counts per remote and listener.
 * Every buffer handed to the parser is an exact-size copy, so that SAN=1
 * catches a read past it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>

#include "build.h"
#include "fixture.h"
#include "sample/event_ring.h"
#include "sample/events.h"
#include "view/closed.h"

#define MAX_EVENTS 16

struct collected {
	struct close_event ev[MAX_EVENTS];
	size_t n;
};

static void collect(void *arg, const struct close_event *ev)
{
	struct collected *c = arg;

	if (c->n < MAX_EVENTS)
		c->ev[c->n++] = *ev;
}

static const struct timespec T0 = { 100, 0 };

/* Walks each recorded frame (one event each) as received. */
static size_t replay(struct collected *c)
{
	struct frames fr;
	size_t malformed = 0;

	frames_load(&fr, "netlink/destroy.bin");
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < fr.n; i++) {
		void *buf = copy_exact(fr.f[i].p, fr.f[i].len);

		malformed += events_walk_buf(buf, fr.f[i].len, &T0, &T0, collect, c);
		free(buf);
	}
	frames_free(&fr);
	return malformed;
}

static const struct close_event *find(const struct collected *c, int proto, int family,
				      uint16_t lport, uint16_t rport)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct sock_rec *r = &c->ev[i].r;

		if (r->proto == proto && r->family == family && r->lport == lport &&
		    (!rport || r->rport == rport))
			return &c->ev[i];
	}
	return NULL;
}

/* destroy_sockets.py: a TCP/IPv4 pair (5000 bytes up, 1000 down), a
 * TCP/IPv6 pair (300/200), a connected UDP/IPv4 socket, a bound UDP/IPv6
 * one, then the two listeners. */
static void test_recorded(void **state)
{
	struct collected c;
	const struct close_event *srv, *cli, *u;

	assert_int_equal(replay(&c), 0);
	assert_int_equal(c.n, 8);
	srv = find(&c, PROTO_TCP, 4, 8080, 0);
	assert_non_null(srv);
	assert_int_not_equal(srv->r.rport, 0);
	cli = find(&c, PROTO_TCP, 4, srv->r.rport, 8080);
	assert_non_null(cli);
	assert_int_equal(srv->r.state, ST_CLOSE);
	assert_true(srv->r.flags & SOCK_HAS_INFO);
	/* the accepting side: acked counts the FIN; received the FIN */
	assert_int_equal(srv->r.bytes_acked, 1001);
	assert_int_equal(srv->r.bytes_received, 5001);
	/* the connecting side: acked counts the SYN and the FIN */
	assert_int_equal(cli->r.bytes_acked, 5002);
	assert_int_equal(cli->r.bytes_received, 1001);
	assert_true(cli->has_sent);
	assert_int_equal(cli->bytes_sent - cli->bytes_retrans, 5000);
	assert_int_not_equal(cli->r.cookie, srv->r.cookie);
	assert_int_equal(srv->r.owner, OWNER_NONE);
	assert_int_equal(srv->r.inode, 0);
	assert_memory_equal(&srv->wall, &T0, sizeof(T0));
	assert_non_null(find(&c, PROTO_TCP, 6, 8443, 0));
	u = find(&c, PROTO_UDP, 4, 0, 5353);
	assert_null(u);	/* the UDP client's port is ephemeral: look it up by remote */
	for (size_t i = 0; i < c.n; i++)
		if (c.ev[i].r.proto == PROTO_UDP && c.ev[i].r.rport == 5353)
			u = &c.ev[i];
	assert_non_null(u);
	assert_int_equal(u->r.state, ST_ESTABLISHED);	/* a connected UDP socket */
	assert_false(u->r.flags & SOCK_HAS_INFO);
	assert_non_null(find(&c, PROTO_UDP, 6, 5354, 0));
}

/* Every cut of every frame: never a read past it, never an event from a
 * message cut short. */
static void test_truncated(void **state)
{
	struct frames fr;

	frames_load(&fr, "netlink/destroy.bin");
	for (size_t i = 0; i < fr.n; i++)
		for (size_t len = 0; len < fr.f[i].len; len++) {
			struct collected c = { .n = 0 };
			void *buf = copy_exact(fr.f[i].p, len);

			events_walk_buf(buf, len, &T0, &T0, collect, &c);
			assert_int_equal(c.n, 0);
			free(buf);
		}
	frames_free(&fr);
}

/* A message built by hand: inet_diag_msg, then the attributes given. */
static size_t build_msg(unsigned char *buf, size_t cap, uint16_t type, int protocol,
			size_t info_len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct inet_diag_msg *d = (struct inet_diag_msg *)(buf + NLMSG_HDRLEN);
	size_t len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*d));

	memset(buf, 0, cap);
	d->idiag_family = AF_INET;
	d->idiag_state = 7;
	d->id.idiag_sport = htons(80);
	d->id.idiag_dport = htons(1234);
	d->id.idiag_cookie[0] = 42;
	if (protocol >= 0) {
		struct nlattr *a = (struct nlattr *)(buf + len);

		a->nla_type = INET_DIAG_PROTOCOL;
		a->nla_len = NLA_HDRLEN + 1;
		buf[len + NLA_HDRLEN] = (unsigned char)protocol;
		len += NLA_ALIGN(a->nla_len);
	}
	if (info_len) {
		struct nlattr *a = (struct nlattr *)(buf + len);
		struct tcp_info info = { .tcpi_rtt = 1500 };

		info.tcpi_bytes_acked = 11;
		info.tcpi_bytes_received = 21;
		info.tcpi_bytes_sent = 10;
		a->nla_type = INET_DIAG_INFO;
		a->nla_len = (uint16_t)(NLA_HDRLEN + info_len);
		memcpy(buf + len + NLA_HDRLEN, &info, info_len < sizeof(info) ? info_len : sizeof(info));
		len += NLA_ALIGN(a->nla_len);
	}
	nlh->nlmsg_len = (uint32_t)len;
	nlh->nlmsg_type = type;
	return len;
}

static int parse_built(uint16_t type, int protocol, size_t info_len, struct close_event *ev)
{
	unsigned char msg[1024];
	size_t len = build_msg(msg, sizeof(msg), type, protocol, info_len);
	void *buf = copy_exact(msg, len);
	int err = events_parse_msg(buf, len, ev);

	free(buf);
	return err;
}

static void test_built(void **state)
{
	struct close_event ev;

	assert_int_equal(parse_built(SOCK_DIAG_BY_FAMILY, IPPROTO_TCP, sizeof(struct tcp_info), &ev), 0);
	assert_int_equal(ev.r.rtt_us, 1500);
	assert_int_equal(ev.r.cookie, 42);
	assert_true(ev.has_sent);
	assert_int_equal(ev.bytes_sent, 10);
	/* a kernel's longer tcp_info: what is ours is read */
	assert_int_equal(parse_built(SOCK_DIAG_BY_FAMILY, IPPROTO_TCP, sizeof(struct tcp_info) + 100, &ev), 0);
	assert_int_equal(ev.r.bytes_received, 21);
	/* an old kernel's shorter one: the rest is 0, bytes_sent not claimed */
	assert_int_equal(parse_built(SOCK_DIAG_BY_FAMILY, IPPROTO_TCP, 104, &ev), 0);
	assert_int_equal(ev.r.rtt_us, 1500);	/* tcpi_rtt is within the first 104 */
	assert_false(ev.has_sent);
	assert_int_equal(ev.r.bytes_acked, 0);
	/* no protocol, another protocol, not sock_diag's message: refused */
	assert_int_equal(parse_built(SOCK_DIAG_BY_FAMILY, -1, 0, &ev), -EINVAL);
	assert_int_equal(parse_built(SOCK_DIAG_BY_FAMILY, IPPROTO_SCTP, 0, &ev), -EINVAL);
	assert_int_equal(parse_built(NLMSG_ERROR, IPPROTO_TCP, 0, &ev), -EINVAL);
	assert_int_equal(parse_built(SOCK_DIAG_BY_FAMILY, IPPROTO_UDP, 0, &ev), 0);
	assert_int_equal(ev.r.proto, PROTO_UDP);
}

/* A server's sample: a listener on 8080 owned by pid 7, one connection
 * with bytes so far. */
static struct snapshot *sample(long mono_s)
{
	struct snapshot *s = snapshot_new(8);
	struct sock_rec *l, *c;

	s->mono.tv_sec = mono_s;
	s->flags |= SNAP_HAS_PROCS;
	assert_int_equal(snapshot_add_proc(s, 7, 0, "httpd"), 0);
	l = TCP4(s, ST_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0);
	l->owner = 0;
	c = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 8080, "10.0.0.9", 5000);
	c->cookie = 900;
	c->owner = OWNER_NONE;
	c->bytes_acked = 400;		/* payload 400 sent so far (accepted: no SYN) */
	c->bytes_received = 300;
	c->flags |= SOCK_HAS_INFO;
	return s;
}

static struct close_event event(uint64_t cookie, const char *laddr, uint16_t lport, const char *raddr,
				uint16_t rport, long mono_s)
{
	struct close_event ev = { .mono = { mono_s, 500000000 } };

	ev.r.proto = PROTO_TCP;
	ev.r.family = 4;
	ev.r.state = ST_CLOSE;
	ev.r.cookie = cookie;
	build_event_addrs(&ev, laddr, raddr);
	ev.r.lport = lport;
	ev.r.rport = rport;
	ev.r.flags = SOCK_HAS_INFO;
	ev.r.owner = OWNER_NONE;
	return ev;
}

static void test_join(void **state)
{
	struct closed_seen t;
	struct closed_conn c;
	struct snapshot *s1 = sample(10), *s2 = sample(11);
	struct close_event seen = event(900, "10.0.0.1", 8080, "10.0.0.9", 5000, 12);
	struct close_event unseen = event(901, "10.0.0.1", 8080, "10.0.0.8", 6000, 11);
	struct close_event client = event(902, "10.0.0.1", 40000, "10.0.0.2", 443, 11);

	closed_seen_init(&t);
	/* before any sample: nothing known, no bound */
	closed_join(&t, &unseen, &c);
	assert_false(c.seen);
	assert_int_equal(c.duration_max_ms, -1);
	assert_int_equal(closed_seen_update(&t, s1), 0);
	assert_int_equal(closed_seen_update(&t, s2), 0);
	seen.r.bytes_acked = 1001;	/* 1000 payload + FIN */
	seen.r.bytes_received = 2001;
	closed_join(&t, &seen, &c);
	assert_true(c.seen);
	assert_int_equal(c.duration_ms, 2500);	/* first sampled at 10 s, closed at 12.5 s */
	assert_int_equal(c.last_state, ST_ESTABLISHED);
	assert_true(c.accepted);
	assert_int_equal(c.tx_bytes, 1000);
	assert_int_equal(c.rx_bytes, 2000);
	assert_int_equal(c.tx_credit, 600);	/* after the 400 the samples counted */
	assert_int_equal(c.rx_credit, 1700);
	/* its own owner unknown: its listener's, said so */
	assert_int_equal(c.pid, 7);
	assert_string_equal(c.comm, "httpd");
	assert_true(c.via_listener);

	unseen.r.bytes_acked = 6;	/* 5 payload + FIN; no SYN on this side */
	unseen.r.bytes_received = 1;
	closed_join(&t, &unseen, &c);
	assert_false(c.seen);
	assert_int_equal(c.duration_max_ms, 500);	/* the last sample was at 11 s */
	assert_int_equal(c.tx_bytes, 5);
	assert_int_equal(c.rx_bytes, 0);
	assert_int_equal(c.tx_credit, 5);

	/* a connecting side: the SYN counted too; bytes_sent bounds a reset's */
	client.r.bytes_acked = 102;
	client.r.bytes_received = 51;
	closed_join(&t, &client, &c);
	assert_false(c.accepted);
	assert_int_equal(c.pid, -1);
	assert_int_equal(c.tx_bytes, 100);
	assert_int_equal(c.rx_bytes, 50);
	client.has_sent = true;
	client.bytes_sent = 130;
	client.bytes_retrans = 30;
	client.r.bytes_acked = 101;	/* reset: the FIN never acked */
	closed_join(&t, &client, &c);
	assert_int_equal(c.tx_bytes, 100);

	snapshot_free(s1);
	snapshot_free(s2);
	closed_seen_free(&t);
}

/* A socket gone from the newest sample is still known for one more (its
 * event may come late), then forgotten. */
static void test_join_carried(void **state)
{
	struct closed_seen t;
	struct closed_conn c;
	struct snapshot *s1 = sample(10), *empty = snapshot_new(1), *empty2 = snapshot_new(1);
	struct close_event ev = event(900, "10.0.0.1", 8080, "10.0.0.9", 5000, 13);

	struct snapshot *pending = sample(11);

	/* its own process this time; the next sample has not named it yet */
	assert_int_equal(snapshot_add_proc(s1, 8, 1000, "worker"), 1);
	s1->socks[1].owner = 1;
	pending->socks[1].owner = OWNER_PENDING;
	closed_seen_init(&t);
	assert_int_equal(closed_seen_update(&t, s1), 0);
	assert_int_equal(closed_seen_update(&t, pending), 0);
	closed_join(&t, &ev, &c);
	assert_int_equal(c.pid, 8);
	assert_int_equal(c.uid, 1000);
	assert_string_equal(c.comm, "worker");
	assert_false(c.via_listener);
	assert_int_equal(closed_seen_update(&t, empty), 0);
	closed_join(&t, &ev, &c);
	assert_true(c.seen);
	assert_int_equal(c.duration_ms, 3500);
	assert_int_equal(c.pid, 8);	/* carried, with its process */
	assert_string_equal(c.comm, "worker");
	assert_int_equal(closed_seen_update(&t, empty2), 0);
	closed_join(&t, &ev, &c);
	assert_false(c.seen);
	/* the listener went with the sample: no owner, not accepted */
	assert_false(c.accepted);
	assert_int_equal(c.pid, -1);
	snapshot_free(s1);
	snapshot_free(pending);
	snapshot_free(empty);
	snapshot_free(empty2);
	closed_seen_free(&t);
}

static void test_tally(void **state)
{
	struct closed_seen t;
	struct closed_tally k;
	struct closed_conn c;
	struct closed_remote *rows;
	struct snapshot *s = sample(10);
	/* cookies no sample has: never seen */
	struct close_event a = event(101, "10.0.0.1", 8080, "10.0.0.9", 5000, 11);
	struct close_event b = event(102, "10.0.0.1", 8080, "10.0.0.8", 5001, 11);
	struct close_event mapped = event(103, "10.0.0.1", 8080, "10.0.0.9", 5002, 11);
	struct close_event l = event(104, "0.0.0.0", 8080, "0.0.0.0", 0, 11);
	long n;

	for (struct close_event *e = &a; e; e = e == &a ? &b : e == &b ? &mapped : NULL) {
		e->r.bytes_acked = 10;	/* accepted: 9 payload + FIN */
		e->r.bytes_received = 20;
	}
	mapped.r.family = 6;
	build_event_addrs(&mapped, "::ffff:10.0.0.1", "::ffff:10.0.0.9");
	closed_seen_init(&t);
	closed_tally_init(&k);
	assert_int_equal(closed_seen_update(&t, s), 0);
	for (int i = 0; i < 3; i++) {
		closed_join(&t, &a, &c);
		assert_int_equal(closed_tally_add(&k, &t, &c), 0);
	}
	closed_join(&t, &b, &c);
	assert_int_equal(closed_tally_add(&k, &t, &c), 0);
	closed_join(&t, &mapped, &c);
	assert_int_equal(closed_tally_add(&k, &t, &c), 0);
	closed_join(&t, &l, &c);	/* the listener's own close: no remote, no listener */
	assert_int_equal(closed_tally_add(&k, &t, &c), 0);
	assert_int_equal(k.interval_total, 6);
	assert_int_equal(k.interval_by_state[ST_CLOSE], 6);
	n = closed_tally_remotes(&k, 0, &rows);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].family, 4);
	assert_int_equal(rows[0].closed, 4);	/* the v4-mapped one is 10.0.0.9 too */
	/* never sampled: all their bytes; the v4-mapped one no listener took,
	 * so its SYN is taken off too */
	assert_int_equal(rows[0].tx_bytes, 3 * 9 + 8);
	assert_int_equal(rows[0].rx_bytes, 4 * 19);
	assert_int_equal(rows[1].closed, 1);
	free(rows);
	n = closed_tally_remotes(&k, 1, &rows);
	assert_int_equal(n, 1);
	free(rows);
	assert_int_equal(k.nlisteners, 1);	/* the IPv6 socket: the IPv4 wildcard does not take it */
	assert_int_equal(k.listeners[0].total, 4);
	assert_int_equal(k.listeners[0].tx_bytes, 3 * 9 + 9);
	closed_tally_next(&k);
	assert_int_equal(k.listeners[0].tx_bytes, 0);
	assert_int_equal(k.interval_total, 0);
	assert_int_equal(k.total, 6);
	assert_int_equal(k.listeners[0].interval, 0);
	assert_int_equal(k.listeners[0].total, 4);
	n = closed_tally_remotes(&k, 0, &rows);
	assert_int_equal(n, 0);
	free(rows);
	closed_tally_free(&k);
	closed_seen_free(&t);
	snapshot_free(s);
}

/* A sliding window of sockets: each sample keeps 700 of the last one's
 * 1000 and adds 300. The table holds exactly the last two samples' (the
 * removals move entries back: none may be lost), keeps each first-seen
 * time, and stays sized to them. */
static void test_seen_churn(void **state)
{
	struct closed_seen t;

	closed_seen_init(&t);
	for (uint64_t round = 0; round < 60; round++) {
		struct snapshot *s = snapshot_new(1000);

		s->mono.tv_sec = (time_t)(100 + round);
		for (uint64_t c = round * 300 + 1; c <= round * 300 + 1000; c++) {
			struct sock_rec *r = snapshot_add_sock(s);

			r->cookie = c;
			r->state = ST_ESTABLISHED;
			r->owner = OWNER_NONE;
		}
		assert_int_equal(closed_seen_update(&t, s), 0);
		for (uint64_t c = 1; c <= round * 300 + 1000; c++) {
			const struct closed_seen_entry *e = closed_seen_find(&t, c);
			/* in this sample's window or the last one's */
			bool want = !round || c >= (round - 1) * 300 + 1;
			uint64_t first = c > 1000 ? (c - 1000 + 299) / 300 : 0;

			assert_int_equal(e != NULL, want);
			if (e)
				assert_int_equal(closed_seen_first_ms(&t, e), (int64_t)(100 + first) * 1000);
		}
		assert_int_equal(t.used, round ? 1300 : 1000);
		assert_true(t.mask + 1 <= 4096);
		snapshot_free(s);
	}
	closed_seen_free(&t);
}

static struct close_event numbered(uint64_t cookie)
{
	struct close_event ev = { .r = { .cookie = cookie } };

	return ev;
}

/* The last N, newest first; a reader takes in order; pushing over unread
 * events counts them. */
static void test_ring(void **state)
{
	struct event_ring r;
	struct close_event out[8];

	assert_int_equal(event_ring_init(&r, 0), -ENOMEM);
	assert_int_equal(event_ring_init(&r, 3), 0);
	assert_true(event_ring_empty(&r));
	assert_int_equal(event_ring_recent(&r, out, 8), 0);
	assert_true(event_ring_push(&r, &(struct close_event){ .r = { .cookie = 1 } }));	/* wakes */
	for (uint64_t c = 2; c <= 3; c++) {
		struct close_event ev = numbered(c);

		assert_false(event_ring_push(&r, &ev));
	}
	assert_true(event_ring_full(&r));
	assert_int_equal(event_ring_take(&r, out, 2), 2);
	assert_int_equal(out[0].r.cookie, 1);
	assert_int_equal(out[1].r.cookie, 2);
	assert_false(event_ring_full(&r));
	for (uint64_t c = 4; c <= 6; c++) {
		struct close_event ev = numbered(c);

		event_ring_push(&r, &ev);
	}
	assert_int_equal(r.overwritten, 1);	/* 3, never taken */
	assert_int_equal(event_ring_recent(&r, out, 8), 3);
	assert_int_equal(out[0].r.cookie, 6);
	assert_int_equal(out[2].r.cookie, 4);
	assert_int_equal(event_ring_take(&r, out, 8), 3);
	assert_int_equal(out[0].r.cookie, 4);
	assert_true(event_ring_empty(&r));
	assert_int_equal(event_ring_take(&r, out, 8), 0);
	event_ring_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_built),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_join_carried),
		cmocka_unit_test(test_tally),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_seen_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
