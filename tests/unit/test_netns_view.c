/* test_netns_view.c: an --all-netns sample's views on hand-built snapshots:
 * the by-namespace rows, the netns and cgroup filters and fields, a
 * container's hostile name escaped, the Prometheus series per namespace
 * with --prometheus-top's bound, flood listeners apart per namespace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "build.h"
#include "print/print.h"
#include "view/fields.h"
#include "view/filter.h"
#include "view/flood.h"
#include "view/view.h"

/* pod-a: a listener and two connections; pod-b: a UDP socket; host: one
 * listener; a namespace not entered; pod-a and host listen on one port. */
static struct snapshot *sample(void)
{
	struct snapshot *s = snapshot_new(0);
	struct sock_rec *r;

	s->flags |= SNAP_HAS_EXTRA;	/* the cgroup ids */
	assert_int_equal(snapshot_add_netns(s, "host", NULL, 1, 0), 0);
	assert_int_equal(snapshot_add_netns(s, "pod-a", "pod:1a2b3c4d", 2, 0), 1);
	assert_int_equal(snapshot_add_netns(s, "evil\x1b[2J", "evil\x1b[2J", 3, 0), 2);
	assert_int_equal(snapshot_add_netns(s, "pid:99", NULL, 4, -EPERM), 3);
	assert_int_equal(snapshot_add_cgroup(s, 10, "/"), 0);
	assert_int_equal(snapshot_add_cgroup(s, 20, "/kubepods/pod1a2b/c1"), 0);
	r = TCP4(s, ST_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0);
	r->netns = 0, build_extra(s, r)->cgroup_id = 10;
	for (int i = 0; i < 3; i++) {
		r = TCP4(s, i ? ST_ESTABLISHED : ST_LISTEN, "10.0.0.5", 8080, i ? "10.0.0.9" : "0.0.0.0",
			 (uint16_t)(i ? 40000 + i : 0));
		r->netns = 1, build_extra(s, r)->cgroup_id = 20;
	}
	r = UDP4(s, ST_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0);
	r->netns = 2;
	return s;
}

static void test_by_netns(void **state)
{
	struct snapshot *s = sample();
	struct view_options v = { 1u << PROTO_TCP | 1u << PROTO_UDP, LISTEN_ALL, NULL };
	struct process_row *rows;
	long n = view_by_netns(s, &v, &rows);

	(void)state;
	assert_int_equal(n, 3);		/* the namespace not entered has no sockets */
	assert_int_equal(rows[0].proc, 1);
	assert_int_equal(rows[0].sockets, 3);
	assert_int_equal(rows[0].by_state[ST_ESTABLISHED], 2);
	assert_int_equal(rows[1].proc, 0);
	assert_int_equal(rows[2].proc, 2);
	free(rows);
	assert_int_equal(s->netns_unreadable, 1);
	snapshot_free(s);
}

static size_t matches(const struct snapshot *s, const char *expr)
{
	char err[200];
	struct filter *f = filter_parse(expr, NULL, err, sizeof(err));
	size_t n = 0;

	assert_non_null(f);
	for (size_t i = 0; i < s->nsocks; i++)
		n += filter_match(f, s, &s->socks[i]);
	filter_free(f);
	return n;
}

static void test_filters(void **state)
{
	struct snapshot *s = sample();

	(void)state;
	assert_int_equal(matches(s, "netns pod-a"), 3);
	assert_int_equal(matches(s, "netns 'pod-*'"), 3);
	assert_int_equal(matches(s, "netns host or netns pod-a"), 4);
	assert_int_equal(matches(s, "not netns pod-a"), 2);
	assert_int_equal(matches(s, "cgroup '*pod1a2b*'"), 3);
	assert_int_equal(matches(s, "cgroup /"), 1);
	assert_int_equal(matches(s, "cgroup \"/kubepods/*\" and state established"), 2);
	/* no cgroup known (UDP here): no cgroup glob matches it, '*' included */
	assert_int_equal(matches(s, "cgroup *"), 4);
	snapshot_free(s);
}

static void test_fields_escape(void **state)
{
	struct snapshot *s = sample();
	const struct field *netns = field_get(FIELD_NETNS), *cg = field_get(FIELD_CGROUP);
	char buf[64];

	(void)state;
	netns->format(s, &s->socks[4], buf, sizeof(buf));
	assert_null(strchr(buf, '\x1b'));
	assert_non_null(strstr(buf, "evil"));
	cg->format(s, &s->socks[1], buf, sizeof(buf));
	assert_string_equal(buf, "/kubepods/pod1a2b/c1");
	cg->format(s, &s->socks[4], buf, sizeof(buf));
	assert_string_equal(buf, "-");
	/* sorted by namespace name: host < pod-a */
	assert_true(netns->compare(s, &s->socks[0], &s->socks[1]) < 0);
	assert_int_equal(field_by_name("netns"), FIELD_NETNS);
	assert_int_equal(field_by_name("cgroup"), FIELD_CGROUP);
	snapshot_free(s);
}

static void test_flood_per_netns(void **state)
{
	struct snapshot *s = sample();
	struct view_options v = { 1u << PROTO_TCP, LISTEN_ALL, NULL };
	struct flood_report r;

	(void)state;
	/* 3 half-open on pod-a's 10.0.0.5:8080: its own listener, not host's wildcard */
	for (int i = 0; i < 3; i++)
		TCP4(s, ST_SYN_RECV, "10.0.0.5", 8080, "10.9.9.9", (uint16_t)(50000 + i))->netns = 1;
	/* one in a namespace listening on no 8080: never the host's wildcard's */
	TCP4(s, ST_SYN_RECV, "10.0.0.7", 8080, "10.9.9.9", 50009)->netns = 2;
	assert_int_equal(view_flood(s, &v, &flood_default_thresholds, false, 0, &r), 0);
	assert_int_equal(r.nlisteners, 1);
	assert_int_equal(s->socks[r.listeners[0].sock].netns, 1);
	assert_int_equal(r.listeners[0].syn_recv, 3);
	/* 10.9.9.9 sent to pod-a and pod-b: several; one only to pod-b says so */
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].netns, FLOOD_NETNS_SEVERAL);
	flood_report_free(&r);
	TCP4(s, ST_SYN_RECV, "10.0.0.7", 8080, "10.8.8.8", 50010)->netns = 2;
	assert_int_equal(view_flood(s, &v, &flood_default_thresholds, false, 0, &r), 0);
	assert_int_equal(r.nsources, 2);
	assert_int_equal(r.sources[1].netns, 2);
	flood_report_free(&r);
	snapshot_free(s);
}

static void test_top_remote_netns(void **state)
{
	struct snapshot *s = sample();
	struct view_options v = { 1u << PROTO_TCP, LISTEN_ALL, NULL };
	struct remote_row *rows;
	char *got;
	long n;

	(void)state;
	/* 10.0.0.9 talks to pod-a only; 10.0.0.1 to host and pod-a */
	TCP4(s, ST_ESTABLISHED, "10.0.0.5", 8080, "10.0.0.1", 1)->netns = 0;
	TCP4(s, ST_CLOSE_WAIT, "10.0.0.5", 8080, "10.0.0.1", 2)->netns = 1;
	n = view_top_remote(s, &v, 0, &rows);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].connections, 2);
	assert_int_equal(rows[0].netns, -1);	/* 10.0.0.1: several, first by address */
	assert_int_equal(rows[0].by_state[ST_CLOSE_WAIT], 1);
	assert_int_equal(rows[1].netns, 1);
	assert_int_equal(rows[1].by_state[ST_ESTABLISHED], 2);
	free(rows);
	{
		struct out_options o = { .view = v, .top_remote = 20 };

		CAPTURE(got, out_json(f, s, &o));
		assert_non_null(strstr(got, "{\"addr\":\"10.0.0.1\",\"family\":4,\"connections\":2,\"netns\":null,"));
		assert_non_null(strstr(got, "{\"addr\":\"10.0.0.9\",\"family\":4,\"connections\":2,\"netns\":\"pod-a\","));
		free(got);
	}
	snapshot_free(s);
}

static void test_prometheus_bound(void **state)
{
	struct snapshot *s = sample();
	struct out_options o = { .view = { 1u << PROTO_TCP | 1u << PROTO_UDP, LISTEN_ALL, NULL },
				 .top_remote = 1 };
	char *got;

	(void)state;
	CAPTURE(got, out_prometheus(f, s, &o));
	assert_non_null(strstr(got, "nettop_sockets{netns=\"pod-a\",container=\"pod:1a2b3c4d\","
				    "proto=\"tcp\",state=\"ESTABLISHED\"} 2\n"));
	/* the other namespaces' sockets summed under _other, none of theirs apart */
	assert_non_null(strstr(got, "nettop_sockets{netns=\"_other\",proto=\"tcp\",state=\"LISTEN\"} 1\n"));
	assert_non_null(strstr(got, "nettop_sockets{netns=\"_other\",proto=\"udp\",state=\"CLOSE\"} 1\n"));
	assert_null(strstr(got, "nettop_sockets{netns=\"host\""));
	assert_null(strchr(got, '\x1b'));
	/* listeners: one series each, by namespace */
	assert_non_null(strstr(got, "nettop_listener_backlog{netns=\"host\",local=\"0.0.0.0:8080\"}"));
	assert_non_null(strstr(got, "nettop_listener_backlog{netns=\"pod-a\",container=\"pod:1a2b3c4d\","
				    "local=\"10.0.0.5:8080\"}"));
	assert_non_null(strstr(got, "nettop_netns_unreadable 1\n"));
	free(got);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_netns),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_fields_escape),
		cmocka_unit_test(test_flood_per_netns),
		cmocka_unit_test(test_top_remote_netns),
		cmocka_unit_test(test_prometheus_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
