/* request.c: the one place that turns what is shown into a sample request. */
#include "request.h"

#include <string.h>

/* Listeners only, TCP only: the kernel need not walk the established hash. */
static uint32_t states_of(const struct session_needs *n)
{
	uint32_t states = filter_state_mask(n->filter);

	if (n->listen == LISTEN_ONLY && !(n->protos & (1u << PROTO_UDP)))
		states &= ST_MASK(ST_LISTEN) | ST_MASK(ST_CLOSE);
	return states;
}

static bool same_filter(const struct filter *a, const struct filter *b)
{
	return (!a && !b) || (a && b && !strcmp(filter_text(a), filter_text(b)));
}

/* Widens req to what the exporter exports, so that the exported metrics
 * never follow the screen's keys. */
static void request_widen(struct sample_request *req, const struct session_needs *shown,
			  const struct session_needs *exported)
{
	req->protos |= exported->protos & filter_protos(exported->filter);
	req->families |= exported->families & filter_families(exported->filter);
	req->state_mask |= states_of(exported);
	req->want_counters |= exported->counters;
	req->want_conntrack |= exported->conntrack;
	req->want_info |= exported->info || filter_needs_info(exported->filter);
	req->want_health |= exported->health || filter_needs_health(exported->filter);
	req->want_extra |= exported->extra || filter_needs_extra(exported->filter);
	/* a narrower dump serves both only when both filters are one */
	if (!same_filter(shown->filter, exported->filter))
		req->bytecode = NULL, req->bytecode_len = 0;
}

void session_request(const struct session_needs *shown, const struct session_needs *exported,
		     struct sample_request *req)
{
	const struct filter *f = shown->filter;

	*req = (struct sample_request){
		/* the kernel skips what the filter rules out */
		.protos = shown->protos & filter_protos(f),
		.families = shown->families & filter_families(f),
		.state_mask = filter_state_mask(f),
		/* health is read from the same tcp_info (and two more
		 * extensions); filters on either need them */
		.want_info = shown->info || shown->health || filter_needs_info(f) ||
			     filter_needs_health(f),
		.want_health = shown->health || filter_needs_health(f),
		.want_extra = shown->extra || filter_needs_extra(f),
		.want_procs = shown->procs || filter_needs_procs(f),
		.procs_budget_ms = shown->procs_budget_ms,
		.want_syn_packets = shown->syn_packets,
		.want_links = shown->links,
		.want_counters = shown->counters,
		.backend = shown->backend,
		.all_netns = shown->all_netns,
		.want_cgroups = shown->cgroups || filter_needs_cgroups(f),
		.want_cgroup_ids = shown->cgroup_ids,
		/* a dump of every flow: only while something shows them */
		.want_conntrack = shown->conntrack,
		.want_events = shown->events,
	};
	if (shown->every_tcp) {
		/* the kernel is then asked for everything and the views filter */
		req->protos |= SAMPLE_TCP;
		req->families = shown->families;
		req->state_mask = ST_MASK_ALL;
	} else {
		req->bytecode = filter_bytecode(f, 4, &req->bytecode_len);
		req->state_mask = states_of(shown);
	}
	if (exported)
		request_widen(req, shown, exported);
}

void session_needs_of_options(const struct options *o, const struct filter *filter,
			      struct session_needs *n)
{
	*n = (struct session_needs){
		.protos = o->protos,
		.families = o->families,
		.listen = o->listen,
		.filter = filter,
		/* tcp_info costs ~30% of the dump: only JSON and the by-process
		 * table print rtt and rates */
		.info = o->json || o->events || (o->sections & SECTION_BY_PROCESS) ||
			/* the listeners' bytes and retransmits */
			o->prometheus || o->listen_http,
		/* struct sock_extra: what the printers read of it (-e's uid,
		 * -o's timers, JSON's rttvar) is kept whatever they print: only
		 * the screen, which holds two samples, keeps none by default */
		.extra = true,
		.health = o->health,
		.backend = o->backend,
		.all_netns = o->all_netns,
		.cgroups = (o->sections & SECTION_BY_CGROUP) != 0,
		/* JSON names each socket's cgroup, when it is known */
		.cgroup_ids = o->json,
		/* --events names each connection's process */
		.procs = o->show_procs || o->events,
		.syn_packets = o->syn_sources,
		.links = o->json || (o->sections & SECTION_IFACES),
		.counters = o->json || o->prometheus || o->listen_http ||
			    (o->sections & (SECTION_COUNTERS | SECTION_FLOOD)),
		.conntrack = o->conntrack && o->json,
	};
}

/* Only netstat's listing hides servers by default; JSON and the new
 * sections, like the screen, start with every state. */
void session_print_options(const struct options *o, const struct filter *filter,
			   struct out_options *listing, struct out_options *sections)
{
	*listing = (struct out_options){
		.view = { .protos = o->protos, .listen = o->listen, .filter = filter },
		.show_procs = o->show_procs,
		.top_remote = o->top_remote,
		.flood = flood_default_thresholds,
		.flood_by_network = o->flood_by_network,
		.syn_sources = o->syn_sources,
		.extend = o->extend,
		.timers = o->timers,
		.inet_hidden = o->inet_hidden,
		.want_conntrack = o->conntrack,
		.group_process = o->sections & SECTION_BY_PROCESS,
	};
	listing->flood.syn_recv_per_listener = o->flood_syn_recv;
	*sections = *listing;
	sections->view.listen = o->listen_given ? o->listen : LISTEN_ALL;
}
