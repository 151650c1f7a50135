/* model_fixture.h: a screen model (src/model/) fed hand-built snapshots, as
 * the screen's loop feeds it samples: take, recompute in the worker thread,
 * install. Header-only (the Makefile links each test_*.c on its own). */
#ifndef NETTOP_TEST_MODEL_FIXTURE_H
#define NETTOP_TEST_MODEL_FIXTURE_H

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "model/model.h"
#include "options.h"

struct fixture {
	struct options opts;
	struct model m;
	uint64_t seq;
};

/* The model of `nettop ARGS...` (NULL-terminated), with the worker thread
 * running, every column at its default and the alert at threshold
 * SYN_RECV sockets on one listener. */
static inline struct fixture *fixture_new(unsigned threshold, const char *const *args)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *argv[16] = { "nettop" };
	char err[256];
	int argc = 1, e;

	assert_non_null(f);
	for (; args && args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	assert_int_equal(options_parse(&f->opts, argc, argv, err, sizeof(err)), 0);
	model_init(&f->m, &f->opts, NULL);
	panes_columns_default(&f->m);
	f->m.flood_threshold = threshold;
	f->m.worker = worker_start(&e);
	assert_non_null(f->m.worker);
	return f;
}

static inline void fixture_free(struct fixture *f)
{
	worker_stop(f->m.worker);
	model_release(&f->m);
	model_free(&f->m);
	options_free(&f->opts);
	free(f);
}

/* Hands the newest sample and what the keys chose to the worker, and waits
 * for its rows to be installed (the loop's REDO_RECOMPUTE). */
static inline unsigned fixture_settle(struct fixture *f)
{
	struct pollfd p = { .fd = worker_fd(f->m.worker), .events = POLLIN };
	struct model_installed done;
	unsigned redo = 0;

	model_recompute(&f->m);
	while (f->m.shown_params.serial != f->m.jobs) {
		/* a guard against a hang, not a timed assertion */
		assert_true(poll(&p, 1, 60000) == 1);
		redo |= model_install(&f->m, &done);
	}
	return redo;
}

/* snap as the next sample, shown once the worker has its rows. */
static inline unsigned fixture_feed(struct fixture *f, struct snapshot *snap)
{
	struct sample *s = calloc(1, sizeof(*s));
	unsigned redo;

	assert_non_null(s);
	s->snap = snap;
	s->seq = ++f->seq;
	atomic_init(&s->refs, 1);
	redo = model_take(&f->m, s, NULL);
	if (!(redo & REDO_RECOMPUTE))
		return redo;
	return redo | fixture_settle(f);
}

/* Applies what an action asks to be redone that the model does itself. */
static inline unsigned fixture_redo(struct fixture *f, unsigned redo)
{
	if (redo & REDO_RECOMPUTE)
		redo |= fixture_settle(f);
	return redo;
}

/* The pane's rows as their keys (row_key()), in order. */
static inline size_t fixture_keys(const struct fixture *f, enum pane_id id, uint64_t *keys,
				  size_t cap)
{
	size_t n = pane_rows(&f->m, id);

	for (size_t i = 0; i < n && i < cap; i++)
		keys[i] = f->m.ops[id]->row_key(&f->m, i);
	return n;
}

/* A sample to start from: a web server on 10.0.0.1:80 with clients, an ssh
 * session, a DNS socket, two interfaces and two processes. */
static inline struct snapshot *fixture_server(void)
{
	struct snapshot *s = snapshot_new(0);
	int nginx, sshd;

	assert_non_null(s);
	nginx = snapshot_add_proc(s, 100, 33, "nginx");
	sshd = snapshot_add_proc(s, 200, 0, "sshd");
	TCP4(s, ST_LISTEN, "10.0.0.1", 80, "0.0.0.0", 0)->owner = nginx;		/* cookie 1 */
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.7", 40001)->owner = nginx;	/* 2 */
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.7", 40002)->owner = nginx;	/* 3 */
	TCP4(s, ST_TIME_WAIT, "10.0.0.1", 80, "10.0.0.8", 40003)->owner = OWNER_NONE;	/* 4 */
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 22, "10.0.0.9", 50000)->owner = sshd;	/* 5 */
	UDP4(s, ST_CLOSE, "10.0.0.1", 53, "0.0.0.0", 0)->owner = OWNER_NONE;		/* 6 */
	build_iface(s, 1, "lo");
	build_iface(s, 2, "eth0")->rx_bps = 1000;
	s->flags |= SNAP_HAS_PROCS;
	return s;
}

/* n SYN_RECV sockets to the web server's listener from 10.9.0.1.. */
static inline void fixture_syn_recv(struct snapshot *s, int n)
{
	for (int i = 0; i < n; i++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "10.9.%d.%d", i / 200, 1 + i % 200);
		TCP4(s, ST_SYN_RECV, "10.0.0.1", 80, addr, (uint16_t)(30000 + i))->owner = OWNER_NONE;
	}
}

#endif
