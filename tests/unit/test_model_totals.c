/* test_model_totals.c: running totals since start, per remote address and
 * per process: nothing from before the first sample, a socket's bytes
 * between samples from its rates, a new socket seen once with all it moved,
 * a closed one keeping its share, the remote and by-process rows carrying
 * them, no tcp_info no count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "model_fixture.h"

/* An ssh client's connection from 10.0.0.9, owned by sshd (process 1). */
static struct sock_rec *conn(struct snapshot *s, uint16_t port, uint64_t in, uint64_t out,
			     float rx, float tx)
{
	struct sock_rec *r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 22, "10.0.0.9", port);

	r->cookie = 1000 + port;
	r->owner = 1;
	r->flags |= SOCK_HAS_INFO;
	r->bytes_received = in;
	r->bytes_acked = out;
	if (rx >= 0) {
		r->flags |= SOCK_HAS_RATE;
		r->rx_bps = rx;
		r->tx_bps = tx;
	}
	return r;
}

static struct snapshot *sample(void)
{
	struct snapshot *s = fixture_server();

	s->flags |= SNAP_HAS_INFO;
	s->interval = 2;
	return s;
}

static const struct running_total *remote_total(const struct model *m, const char *addr)
{
	uint8_t a[16];

	build_addr(4, addr, a);
	for (size_t i = 0; i < m->remote.n; i++)
		if (!memcmp(m->remote.rows[i].addr, a, 4))
			return m->remote.totals ? &m->remote.totals[i] : NULL;
	return NULL;
}

static void test_totals_since_start(void **state)
{
	struct fixture *f = fixture_new(1000, NULL);
	struct snapshot *s;
	const struct running_total *t;

	(void)state;
	/* before the start: not counted */
	s = sample();
	conn(s, 50001, 5000, 7000, -1, -1);
	fixture_feed(f, s);
	t = remote_total(&f->m, "10.0.0.9");
	assert_true(!t || !t->known);
	/* 100 B/s in and 50 B/s out over 2 s; a new connection with 1000 in */
	s = sample();
	conn(s, 50001, 5200, 7100, 100, 50);
	conn(s, 50002, 1000, 10, -1, -1);
	fixture_feed(f, s);
	t = remote_total(&f->m, "10.0.0.9");
	assert_non_null(t);
	assert_true(t->known);
	assert_int_equal(t->seen, 1);
	assert_int_equal(t->bytes_in, 200 + 1000);
	assert_int_equal(t->bytes_out, 100 + 10);
	/* the new one closed: what it moved stays */
	s = sample();
	conn(s, 50001, 5200, 7100, 0, 0);
	fixture_feed(f, s);
	t = remote_total(&f->m, "10.0.0.9");
	assert_int_equal(t->seen, 1);
	assert_int_equal(t->bytes_in, 1200);
	/* the same by program (P): sshd */
	fixture_redo(f, action_toggle_by_process(&f->m));
	assert_non_null(f->m.procs.totals);
	for (size_t i = 0; i < f->m.procs.n; i++) {
		const struct process_row *r = &f->m.procs.rows[i];

		if (r->proc >= 0 && !strcmp(f->m.cur->snap->procs[r->proc].comm, "sshd")) {
			assert_int_equal(f->m.procs.totals[i].bytes_in, 1200);
			assert_int_equal(f->m.procs.totals[i].seen, 1);
		}
	}
	fixture_free(f);
}

static void test_no_info_no_count(void **state)
{
	struct fixture *f = fixture_new(1000, NULL);
	struct snapshot *s;
	const struct running_total *t;

	(void)state;
	fixture_feed(f, sample());
	/* a sample without tcp_info: nothing can be told new */
	s = sample();
	s->flags &= ~(unsigned)SNAP_HAS_INFO;
	conn(s, 50003, 900, 900, -1, -1)->flags &= (uint8_t)~SOCK_HAS_INFO;
	fixture_feed(f, s);
	/* and the sample after it neither: every socket would look new */
	s = sample();
	conn(s, 50003, 900, 900, -1, -1);
	fixture_feed(f, s);
	t = remote_total(&f->m, "10.0.0.9");
	assert_true(!t || !t->known || (t->seen == 0 && t->bytes_in == 0));
	fixture_free(f);
}

static void test_cells(void **state)
{
	struct running_total t = { .seen = 3, .bytes_in = 1234567, .known = true };
	char buf[16];

	(void)state;
	assert_true(totals_cell(&t, TOTAL_SEEN, buf, sizeof(buf)));
	assert_string_equal(buf, "3");
	assert_true(totals_cell(&t, TOTAL_IN, buf, sizeof(buf)));
	assert_string_equal(buf, "1.2M");
	assert_true(totals_cell(NULL, TOTAL_OUT, buf, sizeof(buf)));
	assert_string_equal(buf, "-");
	assert_false(totals_cell(&t, 7, buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals_since_start),
		cmocka_unit_test(test_no_info_no_count),
		cmocka_unit_test(test_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
