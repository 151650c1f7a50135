/* prom.c: the Prometheus text exposition format. Metric names are a
 * documented contract (README): keep them stable. Label values are escaped
 * as the format demands; every series count is bounded (top K remotes, one
 * series per listener). */
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "../tcpstate.h"
#include "print.h"

void prom_header(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: escaped for the screen first (no control bytes), then
 * backslash, quote and newline as the format wants. */
void prom_label(FILE *f, const char *value)
{
	char buf[256];

	escape_text(buf, sizeof(buf), value, strlen(value));
	for (const char *p = buf; *p; p++) {
		if (*p == '\\' || *p == '"')
			fputc('\\', f);
		fputc(*p, f);
	}
}

/* The sockets the options show: a dump may hold more than they ask for (the
 * kernel's filter is coarser; the screen's dump serves its panes too). */
static void prom_sockets(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	static const char *const protos[] = { "tcp", "udp" };
	uint32_t n[2][ST_COUNT] = { { 0 } };

	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		if (view_sock_visible(snap, r, &o->view))
			n[r->proto == PROTO_UDP][r->state < ST_COUNT ? r->state : 0]++;
	}
	prom_header(f, "nettop_sockets", "gauge", "Sockets by protocol and netstat state.");
	for (int p = 0; p < 2; p++)
		for (int k = 0; k < ST_COUNT; k++) {
			enum tcp_state s = tcpstate_display_order[k];

			fprintf(f, "nettop_sockets{proto=\"%s\",state=\"%s\"} %u\n", protos[p],
				tcpstate_name(s), n[p][s]);
		}
}

/* Orders listener sockets by family, address and port, so that SO_REUSEPORT
 * siblings (one address, several sockets) are adjacent. */
static int listener_cmp(const void *a, const void *b, void *arg)
{
	const struct snapshot *snap = arg;

	return sock_local_cmp(&snap->socks[*(const uint32_t *)a], &snap->socks[*(const uint32_t *)b]);
}

/* netns="…",container="…", before a listener's address: one address
 * and port may listen in many namespaces. */
static void prom_listener_netns(FILE *f, const struct snapshot *snap, const struct sock_rec *l)
{
	const struct netns_rec *r = l->netns < snap->nnetns ? &snap->netns[l->netns] : NULL;

	if (!r)
		return;
	fputs("netns=\"", f);
	prom_label(f, r->name);
	if (r->container) {
		fputs("\",container=\"", f);
		prom_label(f, r->container);
	}
	fputs("\",", f);
}

/* One series per listening address: SO_REUSEPORT siblings are summed (a
 * label repeated twice would make Prometheus drop the samples). */
static void prom_listeners(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	static const char *const names[] = { "nettop_listener_syn_recv", "nettop_listener_accept_queue",
					      "nettop_listener_backlog" };
	static const char *const helps[] = {
		"Half-open connections (SYN_RECV) on a TCP listener.",
		"Connections waiting for accept() on a TCP listener (Recv-Q; summed over SO_REUSEPORT sockets).",
		"The accept queue's limit of a TCP listener (Send-Q; summed over SO_REUSEPORT sockets).",
	};
	struct flood_report r;
	uint32_t *syn_recv = calloc(snap->nsocks ? snap->nsocks : 1, sizeof(*syn_recv));
	uint32_t *idx = calloc(snap->nsocks ? snap->nsocks : 1, sizeof(*idx));
	size_t n = 0;

	if (!syn_recv || !idx || view_flood(snap, &o->view, &o->flood, false, 0, &r) < 0) {
		free(syn_recv);
		free(idx);
		return;
	}
	for (size_t i = 0; i < r.nlisteners; i++)
		syn_recv[r.listeners[i].sock] = r.listeners[i].syn_recv;
	for (size_t i = 0; i < snap->nsocks; i++)
		if (snap->socks[i].state == ST_LISTEN && snap->socks[i].proto == PROTO_TCP)
			idx[n++] = (uint32_t)i;
	qsort_r(idx, n, sizeof(*idx), listener_cmp, (void *)snap);
	for (int m = 0; m < 3; m++) {
		prom_header(f, names[m], "gauge", helps[m]);
		for (size_t i = 0; i < n;) {
			const struct sock_rec *l = &snap->socks[idx[i]];
			unsigned long long v = 0;
			char local[64];

			for (; i < n && !sock_local_cmp(l, &snap->socks[idx[i]]); i++) {
				const struct sock_rec *s = &snap->socks[idx[i]];

				v += m == 0 ? syn_recv[idx[i]] : m == 1 ? s->recv_q : s->send_q;
			}
			endpoint_format(local, sizeof(local), l->family, sock_laddr(l).b, l->lport, ENDPOINT_BRACKET);
			fprintf(f, "%s{", names[m]);
			prom_listener_netns(f, snap, l);
			fprintf(f, "local=\"%s\"} %llu\n", local, v);
		}
	}
	prom_header(f, "nettop_flood_alert", "gauge", "1 while the SYN flood alert is raised.");
	fprintf(f, "nettop_flood_alert %d\n", r.alert ? 1 : 0);
	flood_report_free(&r);
	free(syn_recv);
	free(idx);
}

static void prom_counters(FILE *f, const struct snapshot *snap)
{
	char name[96], help[160];

	for (int c = 0; c < TCPC_COUNT; c++) {
		bool counter = tcp_counter_has_rate(c);
		const char *key = tcp_counter_json(c);

		if (!(snap->tcp.present & (1ULL << c)))
			continue;
		/* "tcp_timeouts" is nettop_tcp_timeouts_total, not nettop_tcp_tcp_... */
		if (!strncmp(key, "tcp_", 4))
			key += 4;
		snprintf(name, sizeof(name), "nettop_tcp_%s%s", key, counter ? "_total" : "");
		snprintf(help, sizeof(help), "The kernel's %s %s.", tcp_counter_section(c), tcp_counter_key(c));
		prom_header(f, name, counter ? "counter" : "gauge", help);
		fprintf(f, "%s %llu\n", name, (unsigned long long)snap->tcp.v[c]);
	}
}

static void prom_remotes(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct remote_row *rows;
	long n = view_top_remote(snap, &o->view, o->top_remote, &rows);

	prom_header(f, "nettop_remote_connections", "gauge",
		    "TCP connections of the remote addresses holding most of them (top K only).");
	for (long i = 0; i < n; i++) {
		char addr[64];

		addr_format(addr, sizeof(addr), rows[i].family, rows[i].addr);
		fputs("nettop_remote_connections{addr=\"", f);
		prom_label(f, addr);
		fprintf(f, "\"} %u\n", rows[i].connections);
	}
	if (n >= 0)
		free(rows);
}

void out_prometheus(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	if (snap->nnetns) {
		prom_netns_series(f, snap, o);	/* sockets and counters per namespace */
		prom_listeners(f, snap, o);
	} else {
		prom_sockets(f, snap, o);
		prom_listeners(f, snap, o);
		prom_counters(f, snap);
	}
	prom_remotes(f, snap, o);
	out_prometheus_listener_bytes(f, snap, o);
	if (o->closed || o->events_note)
		out_prometheus_closed(f, o);
	prom_header(f, "nettop_sample_partial", "gauge", "1 when the last dump was interrupted and retried.");
	fprintf(f, "nettop_sample_partial %d\n", snap->flags & SNAP_PARTIAL ? 1 : 0);
	prom_header(f, "nettop_sample_timestamp_seconds", "gauge", "When the sample was taken.");
	fprintf(f, "nettop_sample_timestamp_seconds %lld.%03ld\n", (long long)snap->wall.tv_sec,
		snap->wall.tv_nsec / 1000000);
}
