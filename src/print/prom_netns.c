/* prom_netns.c: the per-namespace series of an --all-netns sample. Every
 * series gains netns="NAME" (and container="…" where one is known); the
 * namespaces with most sockets, up to --prometheus-top, get their own, the
 * rest are summed under netns="_other", so that a host of a thousand pods
 * exports a bounded number of series. */
#include <stdlib.h>
#include <string.h>

#include "../tcpstate.h"
#include "print.h"

#define OTHER "_other"

struct ns_rank {
	uint32_t ns;
	uint64_t sockets;
};

static int rank_cmp(const void *a, const void *b)
{
	const struct ns_rank *x = a, *y = b;

	if (x->sockets != y->sockets)
		return x->sockets > y->sockets ? -1 : 1;
	return x->ns < y->ns ? -1 : x->ns > y->ns;
}

/* slot[ns]: its own series' slot (< *nslots - 1), or the last one
 * (_other). NULL when out of memory. */
static uint32_t *slots_of(const struct snapshot *snap, const uint64_t *sockets, size_t top,
			  size_t *nslots)
{
	size_t n = snap->nnetns, own = top && top < n ? top : n;
	struct ns_rank *rank = calloc(n ? n : 1, sizeof(*rank));
	uint32_t *slot = calloc(n ? n : 1, sizeof(*slot));

	if (!rank || !slot) {
		free(rank);
		free(slot);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		rank[i] = (struct ns_rank){ (uint32_t)i, sockets[i] };
	qsort(rank, n, sizeof(*rank), rank_cmp);
	for (size_t i = 0; i < n; i++)
		slot[rank[i].ns] = (uint32_t)(i < own ? i : own);
	free(rank);
	*nslots = own + (own < n);
	return slot;
}

/* netns="…",container="…", for slot s (the namespace first in it). */
static void labels(FILE *f, const struct snapshot *snap, const uint32_t *slot, size_t own, size_t s)
{
	const struct netns_rec *r = NULL;

	for (size_t i = 0; i < snap->nnetns && s < own; i++)
		if (slot[i] == s)
			r = &snap->netns[i];
	fputs("netns=\"", f);
	prom_label(f, r ? r->name : OTHER);
	fputc('"', f);
	if (r && r->container) {
		fputs(",container=\"", f);
		prom_label(f, r->container);
		fputc('"', f);
	}
}

static void sockets_series(FILE *f, const struct snapshot *snap, const uint32_t *slot,
			   size_t nslots, size_t own, const uint32_t *n)
{
	static const char *const protos[] = { "tcp", "udp" };

	prom_header(f, "nettop_sockets", "gauge", "Sockets by namespace, protocol and netstat state.");
	for (size_t s = 0; s < nslots; s++)
		for (int p = 0; p < 2; p++)
			for (int k = 0; k < ST_COUNT; k++) {
				enum tcp_state st = tcpstate_display_order[k];

				fputs("nettop_sockets{", f);
				labels(f, snap, slot, own, s);
				fprintf(f, ",proto=\"%s\",state=\"%s\"} %u\n", protos[p], tcpstate_name(st),
					n[(s * 2 + (size_t)p) * ST_COUNT + st]);
			}
}

static void counter_series(FILE *f, const struct snapshot *snap, const uint32_t *slot,
			   size_t nslots, size_t own)
{
	char name[96], help[160];

	for (int c = 0; c < TCPC_COUNT; c++) {
		bool counter = tcp_counter_has_rate(c), any = false;
		const char *key = tcp_counter_json(c);

		for (size_t i = 0; i < snap->nnetns; i++)
			any |= (snap->netns[i].tcp.present >> c) & 1;
		if (!any)
			continue;
		if (!strncmp(key, "tcp_", 4))
			key += 4;
		snprintf(name, sizeof(name), "nettop_tcp_%s%s", key, counter ? "_total" : "");
		snprintf(help, sizeof(help), "The kernel's %s %s, per network namespace.",
			 tcp_counter_section(c), tcp_counter_key(c));
		prom_header(f, name, counter ? "counter" : "gauge", help);
		for (size_t s = 0; s < nslots; s++) {
			unsigned long long v = 0;

			for (size_t i = 0; i < snap->nnetns; i++)
				if (slot[i] == s)
					v += snap->netns[i].tcp.v[c];
			fprintf(f, "%s{", name);
			labels(f, snap, slot, own, s);
			fprintf(f, "} %llu\n", v);
		}
	}
}

void prom_netns_series(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	size_t nns = snap->nnetns, nslots = 0, own;
	uint64_t *sockets = calloc(nns ? nns : 1, sizeof(*sockets));
	uint32_t *n = NULL, *slot = NULL;

	if (!sockets)
		return;
	/* ranked by what is exported: the filter's sockets */
	for (size_t i = 0; i < snap->nsocks; i++)
		if (snap->socks[i].netns < nns && view_sock_visible(snap, &snap->socks[i], &o->view))
			sockets[snap->socks[i].netns]++;
	if (!(slot = slots_of(snap, sockets, o->top_remote, &nslots)) ||
	    !(n = calloc(nslots * 2 * ST_COUNT + 1, sizeof(*n))))
		goto out;
	own = o->top_remote && o->top_remote < nns ? o->top_remote : nns;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		if (r->netns < nns && view_sock_visible(snap, r, &o->view))
			n[(slot[r->netns] * 2 + (r->proto == PROTO_UDP)) * ST_COUNT +
			  (r->state < ST_COUNT ? r->state : 0)]++;
	}
	sockets_series(f, snap, slot, nslots, own, n);
	counter_series(f, snap, slot, nslots, own);
	prom_header(f, "nettop_netns_unreadable", "gauge", "Network namespaces that could not be entered.");
	fprintf(f, "nettop_netns_unreadable %u\n", snap->netns_unreadable);
out:
	free(sockets);
	free(slot);
	free(n);
}
