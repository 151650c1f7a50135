/* json.c: one sample as one line of JSON; keys are a documented contract. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "../tcpstate.h"
#include "../view/fields.h"
#include "../view/group_rates.h"
#include "netstat_more.h"
#include "print.h"

/* Writes s as a JSON string (untrusted: escaped). */
static void json_string(FILE *f, const char *s)
{
	char buf[ESCAPE_JSON_MAX];

	escape_json(buf, sizeof(buf), s);
	fputs(buf, f);
}

static void json_rate(FILE *f, const char *key, bool valid, double v)
{
	if (valid)
		fprintf(f, ",\"%s\":%.1f", key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

/* The keys and their forms are view/fields.c's (field_json_keys()); the
 * object is built in memory and written at once: printf's parsing per key
 * would cost more than the values (a million sockets per sample). */
static void json_socket(FILE *f, const struct snapshot *snap, const struct sock_rec *r)
{
	size_t nbase, nhealth, nkeys, n = 0;
	const struct field_json *base = field_json_keys(&nbase);
	const struct field_json *health = field_health_json_keys(&nhealth);
	char obj[64 * 40 + ESCAPE_JSON_MAX];

	nkeys = nbase + nhealth;
	for (size_t k = 0; k < nkeys; k++) {
		/* the health keys (fields_health.c) follow the registry's */
		const struct field_json *key = k < nbase ? &base[k] : &health[k - nbase];
		size_t klen = strlen(key->key), room;
		int vlen;

		if (key->needs_procs && !(snap->flags & SNAP_HAS_PROCS))
			continue;
		room = sizeof(obj) - n - klen - 5;	/* ,"key": and the closing } */
		vlen = key->value(snap, r, obj + n + klen + 4, room);
		if (vlen <= 0)
			continue;
		obj[n] = n ? ',' : '{';
		obj[n + 1] = '"';
		memcpy(obj + n + 2, key->key, klen);
		obj[n + 2 + klen] = '"';
		obj[n + 3 + klen] = ':';
		n += klen + 4 + (size_t)vlen;
	}
	if (!n)
		obj[n++] = '{';
	obj[n++] = '}';
	fwrite_unlocked(obj, 1, n, f);
}

static void json_sockets(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	bool first = true;

	fputs(",\"sockets\":[", f);
	for (size_t i = 0; i < snap->nsocks; i++) {
		if (!view_sock_visible(snap, &snap->socks[i], &o->view))
			continue;
		if (!first)
			fputc(',', f);
		first = false;
		json_socket(f, snap, &snap->socks[i]);
	}
	fputc(']', f);
}

/* {NAME: count}; with all12, every state even when 0. */
static void json_state_map(FILE *f, const uint32_t n[ST_COUNT], bool all12)
{
	bool first = true;

	fputc('{', f);
	for (int i = 0; i < ST_COUNT; i++) {
		enum tcp_state s = tcpstate_display_order[i];

		if (!all12 && !n[s])
			continue;
		fprintf(f, "%s\"%s\":%u", first ? "" : ",", tcpstate_name(s), n[s]);
		first = false;
	}
	fputc('}', f);
}

static void json_top_remote(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct remote_row *rows;
	long n = view_top_remote(snap, &o->view, o->top_remote, &rows);

	if (n > 0)
		(void)view_remote_rates(snap, &o->view, rows, (size_t)n);
	fputs(",\"top_remote\":[", f);
	for (long i = 0; i < n; i++) {
		char addr[64];

		addr_format(addr, sizeof(addr), rows[i].family, rows[i].addr);
		fprintf(f, "%s{\"addr\":\"%s\",\"family\":%u,\"connections\":%u,", i ? "," : "", addr,
			rows[i].family, rows[i].connections);
		if (snap->nnetns) {
			/* null: its connections are in several namespaces */
			fputs("\"netns\":", f);
			if (rows[i].netns >= 0 && (size_t)rows[i].netns < snap->nnetns)
				json_string(f, snap->netns[rows[i].netns].name);
			else
				fputs("null", f);
			fputc(',', f);
		}
		fputs("\"states\":", f);
		json_state_map(f, rows[i].by_state, false);
		out_json_remote_rates(f, snap, o, &rows[i]);
		fputc('}', f);
	}
	fputc(']', f);
	if (n >= 0)
		free(rows);
}

/* ,"netns":NAME for a socket of an --all-netns sample. */
static void json_netns(FILE *f, const struct snapshot *snap, const struct sock_rec *r)
{
	const char *name = snapshot_netns_name(snap, r);

	if (!name)
		return;
	fputs(",\"netns\":", f);
	json_string(f, name);
}

/* --all-netns: every namespace sampled, and those that could not be entered. */
static void json_namespaces(FILE *f, const struct snapshot *snap)
{
	if (!snap->nnetns)
		return;
	fputs(",\"namespaces\":[", f);
	for (size_t i = 0; i < snap->nnetns; i++) {
		const struct netns_rec *n = &snap->netns[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_string(f, n->name);
		if (n->container) {
			fputs(",\"container\":", f);
			json_string(f, n->container);
		}
		fprintf(f, ",\"inode\":%llu,\"entered\":%s", (unsigned long long)n->ino,
			n->err ? "false" : "true");
		if (n->err) {
			fputs(",\"error\":", f);
			json_string(f, strerror(-n->err));
		}
		fputc('}', f);
	}
	fprintf(f, "],\"netns_unreadable\":%u", snap->netns_unreadable);
}

static void json_flood(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct flood_report r;
	struct flood_rates fr;
	char causes[64], addr[64];

	if (view_flood(snap, &o->view, &o->flood, o->flood_by_network, o->top_remote, &r) < 0)
		return;
	(void)out_json_flood_rates_init(&fr, snap, o, &r);
	flood_cause_text(r.alert, causes, sizeof(causes));
	fprintf(f, ",\"flood\":{\"alert\":%s,\"causes\":\"%s\",\"syn_recv\":%u,\"listeners\":[",
		r.alert ? "true" : "false", causes, r.syn_recv);
	for (size_t i = 0; i < r.nlisteners; i++) {
		const struct sock_rec *l = &snap->socks[r.listeners[i].sock];

		endpoint_format(addr, sizeof(addr), l->family, sock_laddr(l).b, l->lport, ENDPOINT_BRACKET);
		fprintf(f, "%s{\"local\":\"%s\",\"syn_recv\":%u,\"accept_queue\":%u,\"backlog\":%u",
			i ? "," : "", addr, r.listeners[i].syn_recv, l->recv_q, l->send_q);
		out_json_flood_listener_rates(f, snap, o, &fr, r.listeners[i].sock);
		json_netns(f, snap, l);
		fputc('}', f);
	}
	fputs("],\"sources\":[", f);
	for (size_t i = 0; i < r.nsources; i++) {
		addr_format(addr, sizeof(addr), r.sources[i].family, r.sources[i].addr);
		fprintf(f, "%s{\"addr\":\"%s\",\"prefix\":%u,\"syn_recv\":%u", i ? "," : "", addr,
			r.sources[i].prefix, r.sources[i].syn_recv);
		out_json_flood_source_rates(f, snap, o, &fr, i, r.sources[i].prefix);
		if (snap->nnetns) {
			/* null: it floods listeners in several namespaces */
			fputs(",\"netns\":", f);
			if (r.sources[i].netns < snap->nnetns)
				json_string(f, snap->netns[r.sources[i].netns].name);
			else
				fputs("null", f);
		}
		fputc('}', f);
	}
	fputc(']', f);
	if (snap->flags & SNAP_HAS_SYN_PACKETS) {
		fputs(",\"syn_packets\":[", f);
		for (size_t i = 0; i < snap->nsyn_packets && i < (o->top_remote ? o->top_remote : SIZE_MAX); i++) {
			addr_format(addr, sizeof(addr), snap->syn_packets[i].family, snap->syn_packets[i].addr);
			fprintf(f, "%s{\"addr\":\"%s\",\"packets\":%u}", i ? "," : "", addr,
				snap->syn_packets[i].packets);
		}
		fprintf(f, "],\"syn_packets_total\":%llu,\"syn_packets_dropped\":%llu",
			(unsigned long long)snap->syn_packets_total,
			(unsigned long long)snap->syn_packets_dropped);
	}
	fputc('}', f);
	out_json_flood_rates_free(&fr);
	flood_report_free(&r);
}

#define JSON_U64(f, key, v) fprintf(f, ",\"%s\":%llu", key, (unsigned long long)(v))

static void json_iface(FILE *f, const struct iface_rec *r)
{
	fputs("{\"name\":", f);
	json_string(f, r->name);
	fprintf(f, ",\"ifindex\":%u,\"up\":%s,\"mtu\":%u", r->ifindex, r->up ? "true" : "false", r->mtu);
	JSON_U64(f, "rx_bytes", r->rx_bytes);
	JSON_U64(f, "tx_bytes", r->tx_bytes);
	JSON_U64(f, "rx_packets", r->rx_packets);
	JSON_U64(f, "tx_packets", r->tx_packets);
	JSON_U64(f, "rx_errors", r->rx_errors);
	JSON_U64(f, "tx_errors", r->tx_errors);
	JSON_U64(f, "rx_dropped", r->rx_dropped);
	JSON_U64(f, "tx_dropped", r->tx_dropped);
	json_rate(f, "rx_bps", r->has_rate, r->rx_bps);
	json_rate(f, "tx_bps", r->has_rate, r->tx_bps);
	json_rate(f, "rx_pps", r->has_rate, r->rx_pps);
	json_rate(f, "tx_pps", r->has_rate, r->tx_pps);
	fputc('}', f);
}

/* {name: value} of the counters present; rates only for those that have one. */
static void json_counter_map(FILE *f, const char *key, const struct snapshot *snap, bool rates)
{
	bool first = true;

	fprintf(f, ",\"%s\":{", key);
	for (int c = 0; c < TCPC_COUNT; c++) {
		if (!(snap->tcp.present & (1ULL << c)) || (rates && !tcp_counter_has_rate(c)))
			continue;
		fprintf(f, "%s\"%s\":", first ? "" : ",", tcp_counter_json(c));
		if (rates)
			fprintf(f, "%.1f", snap->tcp_rate[c]);
		else
			fprintf(f, "%llu", (unsigned long long)snap->tcp.v[c]);
		first = false;
	}
	fputc('}', f);
}

void out_json(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct census census;

	fprintf(f, "{\"time\":%lld.%03ld", (long long)snap->wall.tv_sec, snap->wall.tv_nsec / 1000000);
	if (snap->interval > 0)
		fprintf(f, ",\"interval\":%.3f", snap->interval);
	else
		fputs(",\"interval\":null", f);
	fprintf(f, ",\"partial\":%s", snap->flags & SNAP_PARTIAL ? "true" : "false");
	fprintf(f, ",\"backend\":\"%s\"", snapshot_backend(snap));
	if (snap->flags & SNAP_BPF)
		fprintf(f, ",\"bpf_tcp\":\"%s\",\"bpf_walked\":%zu",
			snap->flags & SNAP_BPF_ITER ? "iterator" : "walk", snap->bpf_walked);
	if ((snap->flags & (SNAP_BPF | SNAP_BPF_ITER | SNAP_BPF_PORT)) == (SNAP_BPF | SNAP_BPF_PORT))
		fputs(",\"bpf_port_walk\":true", f);
	if ((snap->flags & SNAP_BPF_ITER) && snap->bpf_iter_why) {
		fputs(",\"bpf_tcp_why\":", f);
		json_string(f, snap->bpf_iter_why);
	}
	if (snap->backend_note) {
		fputs(",\"backend_note\":", f);
		json_string(f, snap->backend_note);
	}
	if (snap->note) {
		fputs(",\"note\":", f);
		json_string(f, snap->note);
	}
	json_sockets(f, snap, o);
	json_namespaces(f, snap);
	view_census(snap, &o->view, &census, NULL);	/* cannot fail without gatherings */
	fputs(",\"states\":", f);
	json_state_map(f, census.states.n, true);
	/* the total line: what the visible TCP sockets move */
	if (snap->interval > 0 && (snap->flags & SNAP_HAS_INFO))
		fprintf(f, ",\"total\":{\"rx_bps\":%.1f,\"tx_bps\":%.1f}", census.rx_bps, census.tx_bps);
	else
		fputs(",\"total\":{\"rx_bps\":null,\"tx_bps\":null}", f);
	json_top_remote(f, snap, o);
	out_json_listeners(f, snap, o);
	out_json_udp_remotes(f, snap, o);
	if (o->group_process)
		out_json_processes(f, snap, o);
	json_flood(f, snap, o);
	fputs(",\"interfaces\":[", f);
	for (size_t i = 0; i < snap->nifaces; i++) {
		if (i)
			fputc(',', f);
		json_iface(f, &snap->ifaces[i]);
	}
	fputc(']', f);
	json_counter_map(f, "tcp", snap, false);
	if (snap->interval > 0)
		json_counter_map(f, "tcp_rates", snap, true);
	if (o->want_conntrack)
		out_conntrack_json(f, snap->conntrack, snap->conntrack_absent);
	out_json_closed(f, o);
	fputs("}\n", f);
}
