/* rates_json.c: bytes per second per group in a sample's JSON: per remote
 * address, per listener (the bytes it served), per SYN_RECV source and per
 * process. Each is its sockets' rates summed plus, where the destroy events
 * are listened to (o->closed), the bytes of its sockets that closed since
 * the sample before, over the interval. Keys are a documented contract. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "../view/closed.h"
#include "../view/group_rates.h"
#include "print.h"

static void rate_pair(FILE *f, bool valid, double rx, double tx)
{
	if (valid)
		fprintf(f, ",\"rx_bps\":%.1f,\"tx_bps\":%.1f", rx, tx);
	else
		fputs(",\"rx_bps\":null,\"tx_bps\":null", f);
}

/* Segments per second: with health records only (sock_health.h). */
static void seg_pair(FILE *f, bool valid, double rx, double tx)
{
	if (valid)
		fprintf(f, ",\"rx_pps\":%.1f,\"tx_pps\":%.1f", rx, tx);
	else
		fputs(",\"rx_pps\":null,\"tx_pps\":null", f);
}

static bool has_pps(const struct snapshot *snap)
{
	return snap->interval > 0 && (snap->flags & SNAP_HAS_HEALTH);
}

/* Bytes that closed sockets moved after the last sample that saw them, as
 * a rate over this sample's interval. */
static double credit_rate(const struct snapshot *snap, uint64_t bytes)
{
	return snap->interval > 0 ? (double)bytes / snap->interval : 0;
}

void out_json_remote_rates(FILE *f, const struct snapshot *snap, const struct out_options *o,
			   const struct remote_row *r)
{
	const struct closed_remote *c = o->closed ? closed_tally_remote(o->closed, r->family, r->addr)
						  : NULL;
	double rx = r->rx_bps, tx = r->tx_bps;

	if (c)
		rx += credit_rate(snap, c->rx_bytes), tx += credit_rate(snap, c->tx_bytes);
	rate_pair(f, r->has_rate, rx, tx);
	seg_pair(f, r->has_pps, r->rx_pps, r->tx_pps);
}

static void listener_rates(FILE *f, const struct snapshot *snap, const struct out_options *o,
			   const struct listener_rate *l)
{
	const struct sock_rec *s = &snap->socks[l->sock];
	const struct closed_listener_count *c =
		o->closed ? closed_tally_listener(o->closed, s->family, sock_laddr(s).b, s->lport) : NULL;
	double rx = l->rx_bps, tx = l->tx_bps;

	if (c)
		rx += credit_rate(snap, c->rx_bytes), tx += credit_rate(snap, c->tx_bytes);
	rate_pair(f, l->has_rate, rx, tx);
	seg_pair(f, has_pps(snap), l->rx_pps, l->tx_pps);
}

/* "listeners": every TCP listener the view shows, with the connections
 * it accepted that are still open, their bytes per second and retransmits. */
void out_json_listeners(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct listener_rate *rows;
	long n = view_listener_rates(snap, &o->view, &rows);

	fputs(",\"listeners\":[", f);
	for (long i = 0; i < n; i++) {
		const struct sock_rec *l = &snap->socks[rows[i].sock];
		char local[64];

		endpoint_format(local, sizeof(local), l->family, sock_laddr(l).b, l->lport, ENDPOINT_BRACKET);
		fprintf(f, "%s{\"local\":\"%s\",\"connections\":%u", i ? "," : "", local,
			rows[i].connections);
		listener_rates(f, snap, o, &rows[i]);
		if (snap->flags & SNAP_HAS_INFO)
			fprintf(f, ",\"retrans\":%" PRIu64 "}", rows[i].retrans);
		else
			fputs(",\"retrans\":null}", f);
	}
	fputc(']', f);
	if (n >= 0)
		free(rows);
}

int out_json_flood_rates_init(struct flood_rates *fr, const struct snapshot *snap,
			      const struct out_options *o, const struct flood_report *r)
{
	long n;

	memset(fr, 0, sizeof(*fr));
	if (!r->nlisteners && !r->nsources)
		return 0;	/* no flood: no pass over the sockets */
	if ((n = view_listener_rates(snap, &o->view, &fr->listeners)) < 0 ||
	    !(fr->sources = calloc(r->nsources ? r->nsources : 1, sizeof(*fr->sources)))) {
		if (n < 0)
			fr->listeners = NULL;
		out_json_flood_rates_free(fr);
		return -1;
	}
	fr->nlisteners = (size_t)n;
	for (size_t i = 0; i < r->nsources; i++) {
		fr->sources[i].family = r->sources[i].family;
		memcpy(fr->sources[i].addr, r->sources[i].addr, 16);
	}
	fr->nsources = r->nsources;
	(void)view_remote_rates(snap, &o->view, fr->sources, fr->nsources);
	return 0;
}

void out_json_flood_rates_free(struct flood_rates *fr)
{
	free(fr->listeners);
	free(fr->sources);
	memset(fr, 0, sizeof(*fr));
}

void out_json_flood_listener_rates(FILE *f, const struct snapshot *snap, const struct out_options *o,
				   const struct flood_rates *fr, uint32_t sock)
{
	const struct listener_rate *l =
		fr->listeners ? listener_rate_find(fr->listeners, fr->nlisteners, sock) : NULL;

	if (l)
		listener_rates(f, snap, o, l);
	else
		rate_pair(f, false, 0, 0), seg_pair(f, false, 0, 0);
}

/* A source's rates: its address's sockets (a network's are not summed). */
void out_json_flood_source_rates(FILE *f, const struct snapshot *snap, const struct out_options *o,
				 const struct flood_rates *fr, size_t i, unsigned prefix)
{
	if (!fr->sources || i >= fr->nsources || prefix != (fr->sources[i].family == 4 ? 32u : 128u))
		rate_pair(f, false, 0, 0), seg_pair(f, false, 0, 0);
	else
		out_json_remote_rates(f, snap, o, &fr->sources[i]);
}

/* "processes" (--group process): the sockets of each program and their
 * bytes per second. */
void out_json_processes(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct process_row *rows;
	long n = view_by_process(snap, &o->view, &rows);
	bool rates = snap->interval > 0 && (snap->flags & SNAP_HAS_INFO);

	fputs(",\"processes\":[", f);
	for (long i = 0; i < n; i++) {
		const struct proc_rec *p = rows[i].proc >= 0 ? &snap->procs[rows[i].proc] : NULL;
		char name[ESCAPE_JSON_MAX];

		if (p) {
			escape_json(name, sizeof(name), p->comm);
			fprintf(f, "%s{\"pid\":%d,\"process\":%s", i ? "," : "", p->pid, name);
		} else {
			fprintf(f, "%s{\"pid\":null,\"process\":null", i ? "," : "");
		}
		fprintf(f, ",\"sockets\":%u", rows[i].sockets);
		rate_pair(f, rates, rows[i].rx_bps, rows[i].tx_bps);
		seg_pair(f, has_pps(snap), rows[i].rx_pps, rows[i].tx_pps);
		fputc('}', f);
	}
	fputc(']', f);
	if (n >= 0)
		free(rows);
}

/* "udp_remote": connected UDP sockets per remote address, with their
 * queues; drops with --health (the kernel counts no UDP bytes per socket). */
void out_json_udp_remotes(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct udp_remote_row *rows;
	long n = view_udp_remotes(snap, &o->view, &rows);

	fputs(",\"udp_remote\":[", f);
	for (long i = 0; i < n && (!o->top_remote || (size_t)i < o->top_remote); i++) {
		char addr[64];

		addr_format(addr, sizeof(addr), rows[i].family, rows[i].addr);
		fprintf(f, "%s{\"addr\":\"%s\",\"family\":%u,\"sockets\":%u,\"recv_q\":%" PRIu64
			",\"send_q\":%" PRIu64, i ? "," : "", addr, rows[i].family, rows[i].sockets,
			rows[i].recv_q, rows[i].send_q);
		if (rows[i].has_drops)
			fprintf(f, ",\"drops\":%" PRIu64 "}", rows[i].drops);
		else
			fputs(",\"drops\":null}", f);
	}
	fputc(']', f);
	if (n >= 0)
		free(rows);
}
