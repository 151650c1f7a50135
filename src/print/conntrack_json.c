/* conntrack_json.c: the conntrack table as one JSON member of a sample. */
#include <arpa/inet.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include "../escape.h"
#include "netstat_more.h"
#include "print.h"

static void json_tuple(FILE *f, const char *key, const struct ct_tuple *t, int family)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	int af = family == 4 ? AF_INET : AF_INET6;

	inet_ntop(af, t->src, src, sizeof(src));
	inet_ntop(af, t->dst, dst, sizeof(dst));
	fprintf(f, "\"%s\":{\"src\":\"%s\",\"dst\":\"%s\",\"sport\":%u,\"dport\":%u}", key, src, dst,
		t->sport, t->dport);
}

static void json_flow(FILE *f, const struct ct_flow *c)
{
	const char *proto = conntrack_proto_name(c->orig.proto);

	if (proto)
		fprintf(f, "{\"proto\":\"%s\"", proto);
	else
		fprintf(f, "{\"proto\":%u", c->orig.proto);
	fprintf(f, ",\"family\":%u", c->family);
	if (c->has_tcp_state)
		fprintf(f, ",\"state\":\"%s\"", conntrack_tcp_state(c->tcp_state));
	else
		fputs(",\"state\":null", f);
	fprintf(f, ",\"timeout\":%u,\"mark\":%u,\"assured\":%s,\"snat\":%s,\"dnat\":%s,", c->timeout, c->mark,
		c->status & IPS_ASSURED ? "true" : "false", c->status & IPS_SRC_NAT ? "true" : "false",
		c->status & IPS_DST_NAT ? "true" : "false");
	json_tuple(f, "original", &c->orig, c->family);
	fputc(',', f);
	json_tuple(f, "reply", &c->reply, c->family);
	if (c->has_counters)
		fprintf(f, ",\"packets\":[%llu,%llu],\"bytes\":[%llu,%llu]", (unsigned long long)c->packets[0],
			(unsigned long long)c->packets[1], (unsigned long long)c->bytes[0],
			(unsigned long long)c->bytes[1]);
	fputc('}', f);
}

/* "full" (90% or more), "drops" (since the previous sample), or NULL. */
static const char *ct_alert(const struct ct_table *t)
{
	unsigned alert = conntrack_alert(t);

	return alert & CT_ALERT_FULL ? "full" : alert & CT_ALERT_DROPS ? "drops" : NULL;
}

void out_conntrack_json(FILE *f, const struct ct_table *t, const char *why)
{
	const char *alert, *sep = "";

	if (!t) {
		char text[ESCAPE_JSON_MAX];

		escape_json(text, sizeof(text), why ? why : "not sampled");
		fprintf(f, ",\"conntrack\":{\"absent\":%s}", text);
		return;
	}
	alert = ct_alert(t);
	fprintf(f, ",\"conntrack\":{\"count\":%u,\"max\":%u,\"alert\":", t->count, t->max);
	if (alert)
		fprintf(f, "\"%s\"", alert);
	else
		fputs("null", f);
	fputs(",\"stats\":{", f);
#define X(name, attr) fprintf(f, "%s\"" #name "\":%llu", sep, (unsigned long long)t->stats.name), sep = ",";
	CT_STATS_LIST(X)
#undef X
	fputc('}', f);
	/* the growth since the previous sample: what drops now, not since boot */
	if (t->has_delta) {
		fputs(",\"stats_delta\":{", f);
		sep = "";
#define X(name, attr) fprintf(f, "%s\"" #name "\":%llu", sep, (unsigned long long)t->delta.name), sep = ",";
		CT_STATS_LIST(X)
#undef X
		fputc('}', f);
	}
	fprintf(f, ",\"partial\":%s,\"flows\":[", t->partial ? "true" : "false");
	for (size_t i = 0; i < t->n; i++) {
		if (i)
			fputc(',', f);
		json_flow(f, &t->v[i]);
	}
	fputs("]}", f);
}
