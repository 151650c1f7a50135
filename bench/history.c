/* history.c (bench): the history's cost (issue 19), without sleeping:
 * 1. memory after 24 h of synthetic samples at 1 s driven through the
 *    screen's model (take, the worker's rows, install: as the loop does),
 *    100 listeners, 1000 remote addresses, 4 interfaces;
 * 2. the worker's and the loop's part of one sample at 200k sockets
 *    (history_point_collect + history_point_add), against one census of
 *    the same sockets (view_census, the worker's own pass: a floor of the
 *    sample's CPU, whose dump costs ~0.36 s more at 200k, DESIGN.md).
 * Usage: build/bench/history [SOCKETS [SAMPLES]] */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/history.h"
#include "model/model.h"
#include "options.h"
#include "snapshot.h"
#include "tcpstate.h"
#include "view/flood.h"
#include "view/view.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sock_add(struct snapshot *s, int state, uint32_t laddr, uint16_t lport, uint32_t raddr,
		     uint16_t rport)
{
	struct sock_rec *r = snapshot_add_sock(s);

	if (!r)
		abort();
	r->proto = PROTO_TCP;
	r->family = 4;
	r->state = (uint8_t)state;
	laddr = htonl(laddr);
	raddr = htonl(raddr);
	memcpy(r->laddr, &laddr, 4);
	memcpy(r->raddr, &raddr, 4);
	r->lport = lport;
	r->rport = rport;
	r->cookie = s->nsocks;
}

/* 100 listeners on 127.0.0.1:1000…, then n sockets spread over them and
 * over 1000 remote addresses, a tenth of them SYN_RECV. */
static struct snapshot *synthetic(size_t n, double t)
{
	struct snapshot *s = snapshot_new(n + 128);
	static const char *const names[] = { "lo", "eth0", "eth1", "veth0" };

	for (int l = 0; l < 100; l++)
		sock_add(s, ST_LISTEN, 0x7f000001, (uint16_t)(1000 + l), 0, 0);
	for (size_t i = 0; i < n; i++)
		sock_add(s, i % 10 ? ST_ESTABLISHED : ST_SYN_RECV, 0x7f000001, (uint16_t)(1000 + i % 100),
			 0x0a000000 + (uint32_t)(i % 1000), (uint16_t)(20000 + i % 40000));
	for (int i = 0; i < 4; i++) {
		struct iface_rec *r = snapshot_add_iface(s);

		r->name = arena_strndup(&s->arena, names[i], strlen(names[i]));
		r->has_rate = true;
		r->rx_bps = 1000.0 * i;
	}
	s->wall.tv_sec = (time_t)t;
	s->interval = 1;
	s->tcp.present = ~0ULL;
	return s;
}

static int point_of(const struct snapshot *s, struct history_point *pt)
{
	struct view_options v = { .protos = 1u << PROTO_TCP, .listen = LISTEN_ALL };
	struct flood_report r;
	struct remote_row *rows;
	long n;
	int err;

	if (view_flood(s, &v, &flood_default_thresholds, false, 0, &r) < 0 ||
	    (n = view_top_remote(s, &v, HISTORY_PER_KIND, &rows)) < 0)
		return -1;
	err = history_point_collect(pt, &(struct history_sources){ s, &r, rows, (size_t)n });
	free(rows);
	flood_report_free(&r);
	return err;
}

/* The model fed days of samples as the screen's loop feeds it. */
static int model_day(long samples)
{
	struct options o;
	struct model m;
	char *argv[] = { "nettop", NULL }, err[256];
	int e;
	double t0 = now_s();

	if (options_parse(&o, 1, argv, err, sizeof(err)) < 0)
		return -1;
	model_init(&m, &o, NULL);
	panes_columns_default(&m);
	if (!(m.worker = worker_start(&e)))
		return -1;
	for (long i = 0; i < samples; i++) {
		struct sample *s = calloc(1, sizeof(*s));
		struct pollfd p = { .fd = worker_fd(m.worker), .events = POLLIN };
		struct model_installed done;

		s->snap = synthetic(200, (double)i);
		s->seq = (uint64_t)i + 1;
		atomic_init(&s->refs, 1);
		if (!(model_take(&m, s, NULL) & REDO_RECOMPUTE))
			continue;
		model_recompute(&m);
		while (m.shown_params.serial != m.jobs)
			if (poll(&p, 1, 60000) != 1 || (model_install(&m, &done), 0))
				return -1;
	}
	printf("history after %.1f h at 1 s through the model: %zu series, %.2f MiB "
	       "(target <= 16 MiB); %ld samples in %.1f s\n", (double)samples / 3600,
	       m.history->nseries, history_memory(m.history) / 1048576.0, samples, now_s() - t0);
	worker_stop(m.worker);
	model_release(&m);
	model_free(&m);
	options_free(&o);
	return 0;
}

int main(int argc, char **argv)
{
	size_t big = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
	struct history h;
	struct history_point pt = { 0 };
	struct snapshot *s = synthetic(1000, 0);
	struct census c;
	double t0, census_s = 1e9, collect_s = 1e9, add_s = 1e9;

	/* 1: a day of samples through the model, then the history alone */
	if (model_day(argc > 2 ? atol(argv[2]) : 86400) < 0)
		return 1;
	if (history_init(&h, HISTORY_DEFAULT_POINTS) < 0 || point_of(s, &pt) < 0)
		return 1;
	t0 = now_s();
	for (long i = 0; i < 86400; i++) {
		pt.t = (double)i;
		for (size_t e = 0; e < pt.n; e++)
			pt.e[e].v += (double)(i % 7);
		history_point_add(&h, &pt);
	}
	printf("history alone, 24 h of the same sample's series: %zu series, %.2f MiB; "
	       "86400 appends in %.2f s\n", h.nseries, history_memory(&h) / 1048576.0, now_s() - t0);
	history_free(&h);
	snapshot_free(s);

	/* 2: one sample at big sockets, the best of 5 */
	s = synthetic(big, 0);
	if (history_init(&h, HISTORY_DEFAULT_POINTS) < 0)
		return 1;
	for (int rep = 0; rep < 5; rep++) {
		struct view_options v = { .protos = 1u << PROTO_TCP, .listen = LISTEN_ALL };
		struct flood_report r;
		struct remote_row *rows;
		long n;
		double a, b;

		t0 = now_s();
		view_census(s, &v, &c, NULL);
		a = now_s() - t0;
		census_s = a < census_s ? a : census_s;
		/* the report and remote rows the worker has anyway: not counted */
		if (view_flood(s, &v, &flood_default_thresholds, false, 0, &r) < 0 ||
		    (n = view_top_remote(s, &v, HISTORY_PER_KIND, &rows)) < 0)
			return 1;
		t0 = now_s();
		history_point_collect(&pt, &(struct history_sources){ s, &r, rows, (size_t)n });
		a = now_s() - t0;
		t0 = now_s();
		pt.t = rep;
		history_point_add(&h, &pt);
		b = now_s() - t0;
		collect_s = a < collect_s ? a : collect_s;
		add_s = b < add_s ? b : add_s;
		free(rows);
		flood_report_free(&r);
	}
	printf("one sample at %zu sockets: gather %.3f ms + append %.3f ms = %.3f ms; "
	       "census %.2f ms; vs census + 0.36 s dump: %.3f%% (target < 1%%)\n", big,
	       collect_s * 1e3, add_s * 1e3, (collect_s + add_s) * 1e3, census_s * 1e3,
	       100 * (collect_s + add_s) / (census_s + 0.36 * (double)big / 200000));
	history_point_free(&pt);
	history_free(&h);
	snapshot_free(s);
	return 0;
}
