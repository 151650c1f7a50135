/* prom_listeners.c: what each TCP listener served, as Prometheus counters:
 * the payload bytes and retransmits of the connections it accepted, open
 * ones (tcp_info) plus, when the destroy events are listened to, closed
 * ones since the start. Without the events a connection's bytes leave the
 * sum when it closes: Prometheus reads that drop as a counter reset. One
 * series per listening address (SO_REUSEPORT siblings summed). Names are a
 * documented contract, as prom.c's are. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../view/closed.h"
#include "../view/group_rates.h"
#include "print.h"

/* Family, address, port: siblings adjacent. */
static int served_cmp(const void *a, const void *b, void *arg)
{
	const struct snapshot *snap = arg;

	return sock_local_cmp(&snap->socks[((const struct listener_rate *)a)->sock],
			      &snap->socks[((const struct listener_rate *)b)->sock]);
}

static uint64_t served(const struct listener_rate *l, int metric)
{
	return metric == 0 ? l->rx_bytes : metric == 1 ? l->tx_bytes : l->retrans;
}

static uint64_t served_closed(const struct closed_listener_count *c, int metric)
{
	return !c ? 0 : metric == 0 ? c->rx_total : metric == 1 ? c->tx_total : c->retrans_total;
}

void out_prometheus_listener_bytes(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	static const char *const names[] = { "nettop_listener_rx_bytes_total",
					      "nettop_listener_tx_bytes_total",
					      "nettop_listener_retrans_total" };
	static const char *const helps[] = {
		"Bytes a TCP listener's accepted connections received (open ones, and closed ones with the destroy events).",
		"Bytes a TCP listener's accepted connections sent and had acknowledged (as rx).",
		"Segments a TCP listener's accepted connections retransmitted (as rx).",
	};
	struct listener_rate *rows;
	long n;

	if (!(snap->flags & SNAP_HAS_INFO) || (n = view_listener_rates(snap, &o->view, &rows)) < 0)
		return;
	qsort_r(rows, (size_t)n, sizeof(*rows), served_cmp, (void *)snap);
	for (int m = 0; m < 3; m++) {
		fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", names[m], helps[m], names[m]);
		for (long i = 0; i < n;) {
			const struct sock_rec *l = &snap->socks[rows[i].sock];
			uint64_t v = o->closed ? served_closed(closed_tally_listener(o->closed, l->family, sock_laddr(l).b, l->lport), m) : 0;
			char local[64];

			for (; i < n && !sock_local_cmp(l, &snap->socks[rows[i].sock]); i++)
				v += served(&rows[i], m);
			endpoint_format(local, sizeof(local), l->family, sock_laddr(l).b, l->lport, ENDPOINT_BRACKET);
			fprintf(f, "%s{local=\"%s\"} %" PRIu64 "\n", names[m], local, v);
		}
	}
	free(rows);
}
