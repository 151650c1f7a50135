/* text.c: netstat-compatible text, and the sections netstat never had. Every
 * section title starts with a capital letter and holds no "tcp" at the start,
 * so the guide's awk '/^tcp/' pipelines never take it for a socket row. */
#include <linux/if.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../escape.h"
#include "../monotime.h"
#include "../resolve.h"
#include "../tcpstate.h"
#include "../view/fields.h"
#include "fmt.h"
#include "print.h"

static const char *listing_title(enum listen_mode m)
{
	switch (m) {
	case LISTEN_ALL: return "Active Internet connections (servers and established)";
	case LISTEN_ONLY: return "Active Internet connections (only servers)";
	case LISTEN_EXCLUDE: break;
	}
	return "Active Internet connections (w/o servers)";
}

/* netstat prints a UDP socket's state only when it is connected. */
static const char *netstat_state(const struct sock_rec *r)
{
	if (r->proto == PROTO_UDP)
		return r->state == ST_ESTABLISHED ? "ESTABLISHED" : "";
	return tcpstate_name(r->state);
}

/* netstat names a raw socket's "port", its IP protocol, from /etc/protocols. */
static const char *raw_proto_name(uint16_t proto)
{
	struct protoent *pe = getprotobynumber(proto);

	return pe ? pe->p_name : NULL;
}

/* netstat's named form: "localhost:http", "[::]:http-alt", "0.0.0.0:*".
 * Names are untrusted: escaped. */
static char *fmt_endpoint_named(char *p, size_t room, struct resolver *names, const struct sock_rec *r,
				bool local, bool raw)
{
	struct addr16 end = sock_addr_of(r, local);
	const uint8_t *addr = end.b;
	uint16_t port = local ? r->lport : r->rport;
	const char *service = !port ? NULL : raw ? raw_proto_name(port) : resolver_service(port, r->proto == PROTO_UDP);
	char host[256], shown[FMT_ENDPOINT_MAX];
	int n;

	if (addr_is_any(r->family, addr) || !resolver_host(names, r->family, addr, host, sizeof(host)))
		addr_format(host, sizeof(host), r->family, addr);
	if (r->family == 6 && addr_is_any(6, addr))
		snprintf(host, sizeof(host), "[::]");
	escape_text(shown, sizeof(shown) - 8, host, strlen(host));
	if (!port)
		n = snprintf(p, room, "%s:*", shown);
	else if (service)
		n = snprintf(p, room, "%s:%s", shown, service);
	else
		n = snprintf(p, room, "%s:%u", shown, port);
	return p + (n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1);
}

static size_t endpoint_text(char *ep, const struct out_options *o, const struct sock_rec *r, bool local,
			    bool raw)
{
	if (o->names)
		return (size_t)(fmt_endpoint_named(ep, FMT_ENDPOINT_MAX, o->names, r, local, raw) - ep);
	return (size_t)(fmt_endpoint_netstat(ep, r->family, sock_addr_of(r, local).b,
					     local ? r->lport : r->rport) - ep);
}

void out_netstat_resolve(const struct snapshot *snap, const struct out_options *o, unsigned timeout_ms)
{
	struct timespec start, now;
	char host[256];

	if (!o->names)
		return;
	monotime_now(&start);
	for (;;) {
		size_t pending = 0, asked = 0;

		/* at most a few thousand: netstat without -n at scale waits forever */
		for (size_t i = 0; i < snap->nsocks && asked < 4096; i++) {
			const struct sock_rec *r = &snap->socks[i];

			if (!view_sock_visible(snap, r, &o->view))
				continue;
			for (int end = 0; end < 2; end++) {
				struct addr16 ea = sock_addr_of(r, !end);
				const uint8_t *a = ea.b;

				if (addr_is_any(r->family, a))
					continue;
				asked++;
				pending += !resolver_host(o->names, r->family, a, host, sizeof(host));
			}
		}
		monotime_now(&now);
		if (!pending || monotime_seconds(&start, &now) * 1000 >= timeout_ms)
			return;
		resolver_wait(o->names, 50);
	}
}

/* netstat -o's Timer column: /proc's timer kinds, remaining time in
 * hundredths, retransmits and probes (sock_diag reports the probes of a
 * keepalive or zero-window timer in idiag_retrans). */
static void timer_text(const struct snapshot *snap, const struct sock_rec *r, bool tcp, char *buf,
		       size_t len)
{
	static const char *const kinds[] = { "off", "on", "keepalive", "timewait", "probe" };
	double left = (double)(sock_extra_of(snap, r)->expires_ms / 10) / 100;
	unsigned retr = r->timer == 1 ? r->retrans : 0, probes = r->timer >= 2 ? r->retrans : 0;

	if (!tcp || !r->timer)
		snprintf(buf, len, "off (0.00/%u/%u)", tcp ? retr : 0, tcp ? probes : 0);
	else if (r->timer < 5)
		snprintf(buf, len, "%s (%2.2f/%u/%u)", kinds[r->timer], left, retr, r->timer == 3 ? 0 : probes);
	else
		snprintf(buf, len, "unkn-%u (%2.2f/%u/%u)", r->timer, left, retr, probes);
}

/* -e's User column: the name, or with -n (no names) the number, as
 * netstat's FLAG_NUM has it. */
static size_t user_text(char *p, const struct snapshot *snap, const struct sock_rec *r,
			const struct out_options *o)
{
	uint32_t uid = sock_extra_of(snap, r)->uid;
	struct passwd *pw = o->names ? getpwuid(uid) : NULL;

	if (pw)
		return escape_text(p, 64, pw->pw_name, strlen(pw->pw_name));
	return (size_t)(fmt_u64(p, uid) - p);
}

/* One cell of netstat's listing: its text at p, returned as its length. A
 * raw socket's protocol is "raw", its state the kernel's number. */
static size_t netstat_cell(char *p, enum field_id id, const struct snapshot *snap, const struct sock_rec *r,
			   const struct out_options *o, bool raw)
{
	static const char *const protos[3][2] = { { "tcp", "tcp6" }, { "udp", "udp6" }, { "raw", "raw6" } };

	switch (id) {
	case FIELD_PROTO:
		return (size_t)(stpcpy(p, protos[raw ? 2 : r->proto == PROTO_UDP][r->family == 6]) - p);
	case FIELD_RECV_Q:
		return (size_t)(fmt_u64(p, r->recv_q) - p);
	case FIELD_SEND_Q:
		/* netstat reads /proc/net/tcp, where a listener's send queue is 0
		 * (sock_diag reports its backlog there) */
		return (size_t)(fmt_u64(p, r->state == ST_LISTEN ? 0 : r->send_q) - p);
	case FIELD_LOCAL:
	case FIELD_REMOTE:
		return endpoint_text(p, o, r, id == FIELD_LOCAL, raw);
	case FIELD_STATE:
		if (raw)
			return (size_t)(fmt_u64(p, r->state) - p);
		return (size_t)(stpcpy(p, netstat_state(r)) - p);
	case FIELD_PROCESS:
		/* netstat shows '-' for sockets without a file of their own */
		if (r->flags & SOCK_OWNER_VIA_LISTENER)
			return (size_t)(stpcpy(p, "-") - p);
		return (size_t)field_get(FIELD_PROCESS)->format(snap, r, p, 128);
	default:
		return 0;
	}
}

/* Pads the n bytes of a cell written at p to width; returns its end. */
static char *cell_pad(char *p, size_t n, int width, bool right)
{
	int pad = width - (int)n;

	if (pad > 0 && right) {
		memmove(p + pad, p, n);
		memset(p, ' ', (size_t)pad);
	} else if (pad > 0) {
		memset(p + n, ' ', (size_t)pad);
	}
	return p + n + (pad > 0 ? (size_t)pad : 0);
}

/* -e's User and Inode cells, which netstat puts between State and the
 * program; each after a space. */
static char *extend_cells(char *p, const struct snapshot *snap, const struct sock_rec *r,
			  const struct out_options *o)
{
	*p++ = ' ';
	p = cell_pad(p, user_text(p, snap, r, o), 10, false);
	*p++ = ' ';
	return cell_pad(p, (size_t)(fmt_u64(p, r->inode) - p), 10, false);
}

/* One row in netstat's layout: view/fields.c's columns and widths, with
 * -e's and -o's columns where netstat's finish_this_one() puts them. Each
 * cell is written in place, then padded (a right-aligned one shifted). */
static void netstat_row(FILE *f, const struct snapshot *snap, const struct sock_rec *r,
			const struct out_options *o, bool raw)
{
	size_t ncols;
	const struct field_column *cols = field_netstat_columns(&ncols);
	/* the columns, then -e's user (64) and inode, -o's timer (128) at most */
	char row[2 * FMT_ENDPOINT_MAX + 640], *p = row;

	for (size_t i = 0; i < ncols; i++) {
		if (cols[i].field == FIELD_PROCESS && o->extend)
			p = extend_cells(p, snap, r, o);
		if (cols[i].field == FIELD_PROCESS && !o->show_procs)
			continue;
		if (i)
			*p++ = ' ';
		p = cell_pad(p, netstat_cell(p, cols[i].field, snap, r, o, raw), cols[i].width,
			     field_get(cols[i].field)->flags & FIELD_RIGHT);
	}
	if (o->timers) {
		char timer[128];

		timer_text(snap, r, !raw && r->proto == PROTO_TCP, timer, sizeof(timer));
		p += sprintf(p, " %s", timer);
	}
	*p++ = '\n';
	fwrite_unlocked(row, 1, (size_t)(p - row), f);
}

/* netstat's header line: each title in its column's width. */
static void netstat_header(FILE *f, const struct out_options *o)
{
	size_t ncols;
	const struct field_column *cols = field_netstat_columns(&ncols);

	for (size_t i = 0; i < ncols; i++) {
		const struct field *fd = field_get(cols[i].field);
		const char *title = cols[i].title ? cols[i].title : fd->title;

		if (cols[i].field == FIELD_PROCESS && o->extend)
			fputs(" User       Inode     ", f);
		if (cols[i].field == FIELD_PROCESS && !o->show_procs)
			continue;
		fprintf(f, (fd->flags & FIELD_RIGHT) ? "%s%*s" : "%s%-*s", i ? " " : "", cols[i].width, title);
	}
	fputs(o->timers ? " Timer\n" : "\n", f);
}

void out_netstat(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	fprintf(f, "%s\n", listing_title(o->view.listen));
	netstat_header(f, o);
	for (size_t i = 0; i < snap->nsocks && !o->inet_hidden; i++)
		if (view_sock_visible(snap, &snap->socks[i], &o->view))
			netstat_row(f, snap, &snap->socks[i], o, false);
	for (size_t i = 0; o->raw && i < o->raw->nsocks; i++) {
		const struct sock_rec *r = &o->raw->socks[i];

		/* netstat's rule for every Internet socket: no remote port, a server */
		if (o->view.listen == LISTEN_ALL || (o->view.listen == LISTEN_ONLY) == sock_is_listening(r))
			netstat_row(f, o->raw, r, o, true);
	}
}

void out_states(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct state_counts c;

	view_states(snap, &o->view, &c);
	fprintf(f, "TCP states (%u sockets)\n", c.total);
	for (int i = 0; i < ST_COUNT; i++) {
		enum tcp_state s = tcpstate_display_order[i];

		fprintf(f, "%-12s %8u\n", tcpstate_name(s), c.n[s]);
	}
}

/* Writes " NAME:n" for each state with a count, in display order. */
static void state_split(FILE *f, const uint32_t by_state[ST_COUNT])
{
	for (int k = 0; k < ST_COUNT; k++) {
		enum tcp_state s = tcpstate_display_order[k];

		if (by_state[s])
			fprintf(f, " %s:%u", tcpstate_name(s), by_state[s]);
	}
}

void out_top_remote(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct remote_row *rows;
	long n = view_top_remote(snap, &o->view, o->top_remote, &rows);

	fprintf(f, "Top remote addresses (TCP connections)\n");
	for (long i = 0; i < n; i++) {
		char addr[64];

		addr_format(addr, sizeof(addr), rows[i].family, rows[i].addr);
		fprintf(f, "%7u %-39s", rows[i].connections, addr);
		state_split(f, rows[i].by_state);
		fputc('\n', f);
	}
	if (n >= 0)
		free(rows);
}

void out_by_process(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct process_row *rows;
	long n = view_by_process(snap, &o->view, &rows);

	fprintf(f, "Sockets by process\n%7s %-24s %10s %10s  %s\n", "Sockets", "PID/Program", "RX-B/s",
		"TX-B/s", "States");
	for (long i = 0; i < n; i++) {
		char name[96] = "-", rx[16], tx[16];

		if (rows[i].proc >= 0) {
			const struct proc_rec *p = &snap->procs[rows[i].proc];
			int len = snprintf(name, sizeof(name), "%d/", p->pid);

			escape_text(name + len, sizeof(name) - (size_t)len, p->comm, strlen(p->comm));
		}
		snprintf(rx, sizeof(rx), "%.0f", rows[i].rx_bps);
		snprintf(tx, sizeof(tx), "%.0f", rows[i].tx_bps);
		fprintf(f, "%7u %-24s %10s %10s ", rows[i].sockets, name, rx, tx);
		state_split(f, rows[i].by_state);
		fputc('\n', f);
	}
	if (n >= 0)
		free(rows);
}

void out_flood(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	static const enum tcp_counter rates[] = {
		TCPC_syncookies_sent, TCPC_syncookies_recv, TCPC_syncookies_failed,
		TCPC_listen_overflows, TCPC_listen_drops, TCPC_tcp_req_q_full_drop,
		TCPC_tcp_req_q_full_do_cookies,
	};
	struct flood_report r;
	char causes[64], addr[FMT_ENDPOINT_MAX];

	if (view_flood(snap, &o->view, &o->flood, o->flood_by_network, o->top_remote, &r) < 0)
		return;
	flood_cause_text(r.alert, causes, sizeof(causes));
	fprintf(f, "SYN flood: %s%s%s, %u SYN_RECV\n", r.alert ? "ALERT (" : "quiet", causes,
		r.alert ? ")" : "", r.syn_recv);
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		if (snap->interval > 0 && (snap->tcp.present & (1ULL << rates[i])))
			fprintf(f, "  %-22s %10.1f/s\n", tcp_counter_key(rates[i]), snap->tcp_rate[rates[i]]);
	fprintf(f, "Listeners under SYN_RECV\n%8s %8s %8s  %s\n", "SYN_RECV", "Accept-Q", "Backlog", "Local Address");
	for (size_t i = 0; i < r.nlisteners; i++) {
		const struct sock_rec *l = &snap->socks[r.listeners[i].sock];

		const char *ns = snapshot_netns_name(snap, l);
		char esc[96];

		endpoint_format(addr, sizeof(addr), l->family, sock_laddr(l).b, l->lport, ENDPOINT_SCREEN);
		fprintf(f, "%8u %8u %8u  %s", r.listeners[i].syn_recv, l->recv_q, l->send_q, addr);
		if (ns) {
			escape_text(esc, sizeof(esc), ns, strlen(ns));
			fprintf(f, " in %s", esc);
		}
		fputc('\n', f);
	}
	fprintf(f, "SYN_RECV sources\n");
	for (size_t i = 0; i < r.nsources; i++) {
		addr_format(addr, sizeof(addr), r.sources[i].family, r.sources[i].addr);
		fprintf(f, "%8u %s/%u\n", r.sources[i].syn_recv, addr, r.sources[i].prefix);
	}
	out_syn_packets(f, snap, o);
	flood_report_free(&r);
}

void out_syn_packets(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	char addr[FMT_ENDPOINT_MAX];

	if (!(snap->flags & SNAP_HAS_SYN_PACKETS)) {
		/* asked for and missing: say why, as JSON's note does */
		if (o->syn_sources)
			fprintf(f, "SYN packets by source: not counted: %s\n",
				snap->note ? snap->note : "no count in this sample");
		return;
	}
	fprintf(f, "SYN packets by source (%llu in the interval, %llu dropped)\n",
		(unsigned long long)snap->syn_packets_total,
		(unsigned long long)snap->syn_packets_dropped);
	for (size_t i = 0; i < snap->nsyn_packets && i < o->top_remote; i++) {
		addr_format(addr, sizeof(addr), snap->syn_packets[i].family, snap->syn_packets[i].addr);
		fprintf(f, "%8u %s\n", snap->syn_packets[i].packets, addr);
	}
}

/* netstat -i's flag letters, in its order. */
static void iface_flags(unsigned flags, char *buf)
{
	static const struct { unsigned bit; char c; } letters[] = {
		{ IFF_ALLMULTI, 'A' }, { IFF_BROADCAST, 'B' }, { IFF_DEBUG, 'D' },
		{ IFF_LOOPBACK, 'L' }, { IFF_MULTICAST, 'M' }, { IFF_NOARP, 'O' },
		{ IFF_POINTOPOINT, 'P' }, { IFF_RUNNING, 'R' }, { IFF_UP, 'U' },
	};
	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (flags & letters[i].bit)
			*buf++ = letters[i].c;
	*buf = '\0';
}

void out_ifaces(FILE *f, const struct snapshot *snap)
{
	fprintf(f, "Kernel Interface table\n");
	fprintf(f, "Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg"
		   "       RX-B/s     TX-B/s\n");
	for (size_t i = 0; i < snap->nifaces; i++) {
		const struct iface_rec *r = &snap->ifaces[i];
		char name[64], flags[16], rx[16] = "-", tx[16] = "-";

		escape_text(name, sizeof(name), r->name, strlen(r->name));
		iface_flags(r->if_flags, flags);
		if (r->has_rate) {
			snprintf(rx, sizeof(rx), "%.0f", r->rx_bps);
			snprintf(tx, sizeof(tx), "%.0f", r->tx_bps);
		}
		fprintf(f, "%-15s %5u %8llu %6llu %6llu %-6u %8llu %6llu %6llu %6u %-4s %10s %10s\n",
			name, r->mtu, (unsigned long long)r->rx_packets,
			(unsigned long long)r->rx_errors, (unsigned long long)r->rx_dropped, 0u,
			(unsigned long long)r->tx_packets, (unsigned long long)r->tx_errors,
			(unsigned long long)r->tx_dropped, 0u, flags, rx, tx);
	}
}

void out_counters(FILE *f, const struct snapshot *snap)
{
	const char *section = NULL;

	fprintf(f, "Kernel TCP counters%s\n", snap->interval > 0 ? " (value, per second)" : "");
	for (int c = 0; c < TCPC_COUNT; c++) {
		if (!(snap->tcp.present & (1ULL << c)))
			continue;
		if (!section || strcmp(section, tcp_counter_section(c))) {
			section = tcp_counter_section(c);
			fprintf(f, "%s:\n", section);
		}
		fprintf(f, "    %-22s %14llu", tcp_counter_key(c), (unsigned long long)snap->tcp.v[c]);
		if (snap->interval > 0 && tcp_counter_has_rate(c))
			fprintf(f, " %12.1f/s", snap->tcp_rate[c]);
		fputc('\n', f);
	}
}
