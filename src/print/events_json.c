/* events_json.c: closed connections in JSON: one line per connection
 * (--events), and the counts each sample's object gains. Keys are a
 * documented contract, as json.c's are. */
#include <inttypes.h>
#include <stdlib.h>

#include "../escape.h"
#include "../tcpstate.h"
#include "../view/closed.h"
#include "print.h"

/* Writes s as a JSON string (untrusted: escaped). */
static void json_string(FILE *f, const char *s)
{
	char buf[ESCAPE_JSON_MAX];

	escape_json(buf, sizeof(buf), s);
	fputs(buf, f);
}

static void endpoint(FILE *f, const char *key, int family, const uint8_t *addr, uint16_t port)
{
	char buf[64];

	endpoint_format(buf, sizeof(buf), family, addr, port, ENDPOINT_BRACKET);
	fprintf(f, ",\"%s\":\"%s\"", key, buf);
}

static void event_duration(FILE *f, const struct closed_conn *c)
{
	if (c->seen) {
		fprintf(f, ",\"seen\":true,\"duration_ms\":%" PRId64, c->duration_ms);
		return;
	}
	fputs(",\"seen\":false,\"duration_ms\":null", f);
	/* never sampled: it lived less than the time since the last sample */
	if (c->duration_max_ms >= 0)
		fprintf(f, ",\"duration_max_ms\":%" PRId64, c->duration_max_ms);
}

static void event_bytes(FILE *f, const struct closed_conn *c)
{
	const struct sock_rec *r = &c->ev.r;

	if (c->has_bytes)
		fprintf(f, ",\"rx_bytes\":%" PRIu64 ",\"tx_bytes\":%" PRIu64 ",\"retrans\":%u",
			c->rx_bytes, c->tx_bytes, c->ev.x.total_retrans);
	else
		fputs(",\"rx_bytes\":null,\"tx_bytes\":null,\"retrans\":null", f);
	if (c->has_bytes && r->rtt_us)
		fprintf(f, ",\"rtt_ms\":%.3f", r->rtt_us / 1000.0);
	else
		fputs(",\"rtt_ms\":null", f);
}

void out_event_json(FILE *f, const struct closed_conn *c)
{
	const struct sock_rec *r = &c->ev.r;

	fprintf(f, "{\"time\":%lld.%03ld,\"proto\":\"%s\",\"family\":%u", (long long)c->ev.wall.tv_sec,
		c->ev.wall.tv_nsec / 1000000, r->proto == PROTO_TCP ? "tcp" : "udp", r->family);
	endpoint(f, "local", r->family, c->ev.a.l, r->lport);
	endpoint(f, "remote", r->family, c->ev.a.r, r->rport);
	/* the kernel's state when it freed the socket (CLOSE for TCP), and
	 * the last one a sample saw */
	fprintf(f, ",\"state\":\"%s\"", tcpstate_name(r->state));
	if (c->seen)
		fprintf(f, ",\"last_state\":\"%s\"", tcpstate_name(c->last_state));
	event_duration(f, c);
	event_bytes(f, c);
	if (c->pid >= 0) {
		fprintf(f, ",\"pid\":%d,\"process\":", c->pid);
		json_string(f, c->comm);
		if (c->via_listener)
			fputs(",\"owner_via\":\"listener\"", f);
	} else {
		fputs(",\"pid\":null,\"process\":null", f);
	}
	fprintf(f, ",\"cookie\":\"%" PRIx64 "\"}\n", r->cookie);
}

void out_events_lost_json(FILE *f, uint64_t lost, uint64_t total)
{
	fprintf(f, "{\"lost\":%" PRIu64 ",\"lost_total\":%" PRIu64 "}\n", lost, total);
}

void out_events_unavailable_json(FILE *f, const char *why)
{
	fputs("{\"events\":null,\"note\":", f);
	json_string(f, why);
	fputs("}\n", f);
}

static void closed_remotes(FILE *f, const struct closed_tally *t, size_t k)
{
	struct closed_remote *rows;
	long n = closed_tally_remotes(t, k, &rows);

	fputs(",\"closed_remotes\":[", f);
	for (long i = 0; i < n; i++) {
		char addr[64];

		addr_format(addr, sizeof(addr), rows[i].family, rows[i].addr);
		fprintf(f, "%s{\"addr\":\"%s\",\"family\":%u,\"closed\":%u,\"rx_bytes\":%" PRIu64
			",\"tx_bytes\":%" PRIu64 "}", i ? "," : "", addr, rows[i].family, rows[i].closed,
			rows[i].rx_bytes, rows[i].tx_bytes);
	}
	fputc(']', f);
	if (n >= 0)
		free(rows);
}

static void closed_listeners(FILE *f, const struct closed_tally *t)
{
	fputs(",\"closed_listeners\":[", f);
	for (size_t i = 0; i < t->nlisteners; i++) {
		const struct closed_listener_count *l = &t->listeners[i];
		char local[64];

		endpoint_format(local, sizeof(local), l->family, l->addr, l->port, ENDPOINT_BRACKET);
		fprintf(f, "%s{\"local\":\"%s\",\"closed\":%u,\"closed_total\":%" PRIu64
			",\"rx_bytes\":%" PRIu64 ",\"tx_bytes\":%" PRIu64 "}",
			i ? "," : "", local, l->interval, l->total, l->rx_bytes, l->tx_bytes);
	}
	fputc(']', f);
}

void out_json_closed(FILE *f, const struct out_options *o)
{
	const struct closed_tally *t = o->closed;

	if (!t) {
		if (o->events_note) {
			fputs(",\"closed\":null,\"events_lost\":null,\"events_note\":", f);
			json_string(f, o->events_note);
		}
		return;
	}
	fprintf(f, ",\"closed\":{\"total\":%" PRIu64 ",\"states\":{", t->interval_total);
	for (int i = 0, first = 1; i < ST_COUNT; i++) {
		enum tcp_state s = tcpstate_display_order[i];

		fprintf(f, "%s\"%s\":%u", first ? "" : ",", tcpstate_name(s), t->interval_by_state[s]);
		first = 0;
	}
	fputs("}}", f);
	closed_remotes(f, t, o->top_remote);
	closed_listeners(f, t);
	fprintf(f, ",\"events_lost\":%" PRIu64, o->events_lost);
	if (o->events_note) {
		fputs(",\"events_note\":", f);
		json_string(f, o->events_note);
	}
}
