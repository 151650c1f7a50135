/* closed_prom.c: closed connections as Prometheus counters. Names are a
 * documented contract, as prom.c's are; the series are bounded (12 states,
 * CLOSED_LISTENERS_MAX listeners, the rest in one "other" series). */
#include <inttypes.h>

#include "../tcpstate.h"
#include "../view/closed.h"
#include "print.h"

static void header(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void closed_listeners(FILE *f, const struct closed_tally *t)
{
	header(f, "nettop_listener_closed_total", "counter",
	       "Connections a TCP listener accepted that have closed, from the kernel's destroy events.");
	for (size_t i = 0; i < t->nlisteners; i++) {
		const struct closed_listener_count *l = &t->listeners[i];
		char local[64];

		endpoint_format(local, sizeof(local), l->family, l->addr, l->port, ENDPOINT_BRACKET);
		fprintf(f, "nettop_listener_closed_total{local=\"%s\"} %" PRIu64 "\n", local, l->total);
	}
	if (t->other_listeners)
		fprintf(f, "nettop_listener_closed_total{local=\"other\"} %" PRIu64 "\n", t->other_listeners);
}

void out_prometheus_closed(FILE *f, const struct out_options *o)
{
	const struct closed_tally *t = o->closed;

	header(f, "nettop_events_available", "gauge",
	       "1 while closed connections are listened to (the destroy events need CAP_NET_ADMIN).");
	fprintf(f, "nettop_events_available %d\n", t ? 1 : 0);
	if (!t)
		return;
	header(f, "nettop_closed_total", "counter",
	       "Sockets closed, by the last state a sample saw (CLOSE when never sampled).");
	for (int i = 0; i < ST_COUNT; i++) {
		enum tcp_state s = tcpstate_display_order[i];

		fprintf(f, "nettop_closed_total{state=\"%s\"} %" PRIu64 "\n", tcpstate_name(s), t->by_state[s]);
	}
	closed_listeners(f, t);
	header(f, "nettop_events_lost_total", "counter",
	       "Destroy events the kernel dropped (the listener's receive buffer was full).");
	fprintf(f, "nettop_events_lost_total %" PRIu64 "\n", o->events_lost);
}
