/* filter.h: the filter language, one expression for the \ prompt, -f EXPR,
 * trailing arguments and the config file.
 *
 *   state NAME[,NAME…]   netstat or ss spelling, any case; ss's groups all,
 *                        connected, synchronized, bucket, big
 *   tcp udp ipv4 ipv6    protocol and family
 *   src|dst|addr ADDR    ADDR[/PREFIX] or ADDR:PORT, IPv6 as [ADDR]:PORT, * any
 *   sport|dport|port [OP] PORT   OP one of = == != < <= > >= (or eq ne lt le gt
 *                        ge); PORT as 80, :80 or a service name
 *   proc NAME  pid N  user NAME|UID  dev IFNAME
 *                        (IFNAME as the screen shows it: "\xNN" and "\\"
 *                        stand for the byte, filter_word_quote())
 *   FIELD OP NUMBER      a numeric column (fields.h) compared, OP as for ports,
 *                        NUMBER in the column's unit: rtt > 100ms (us, ms, s),
 *                        rx > 1M (bytes/s; K M G are 10^3, 10^6, 10^9),
 *                        busy > 50% ; spaces around OP
 *   and (or juxtaposition), or, not, ( ); && || ! as aliases
 *   any other word       matched as text against the row, as htop does
 *
 * What the kernel can apply (the states, the protocols, addresses and ports)
 * is pushed into the dump request; the whole expression is always checked
 * again in userspace. */
#ifndef NETTOP_FILTER_H
#define NETTOP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"

struct filter;

/* The names a filter's words may hold that only the system knows: a user,
 * a service, an interface. view/ does no I/O, so the caller supplies the
 * look-ups (main, the screen: lookup_filter_names(), src/lookup.h). user
 * and service return 0 with the value or -1 when the name is unknown; iface
 * returns the index, 0 when none. NULL, or a NULL member: numbers only. */
struct filter_names {
	int (*user)(const char *name, uint32_t *uid);
	int (*service)(const char *name, uint16_t *port);
	uint32_t (*iface)(const char *name);
};

/* Parses expr, once: the filter is immutable then, and any thread may match
 * with it. NULL on error, with a message naming the column in err:
 * "filter: expected a port after 'dport' at column 9". */
struct filter *filter_parse(const char *expr, const struct filter_names *names, char *err, size_t errlen);
/* One more hold on f for a new owner (a job, a thread); returns f. NULL is
 * held as NULL. */
struct filter *filter_hold(const struct filter *f);
/* Drops a hold; the last one frees the filter. */
void filter_free(const struct filter *f);
/* The expression as the user typed it, for the header. */
const char *filter_text(const struct filter *f);
bool filter_match(const struct filter *f, const struct snapshot *snap, const struct sock_rec *r);

/* What any match can be, for the dump request (f may be NULL: everything). */
uint32_t filter_state_mask(const struct filter *f);	/* ST_MASK() bits */
unsigned filter_protos(const struct filter *f);		/* 1 << PROTO_TCP | 1 << PROTO_UDP */
unsigned filter_families(const struct filter *f);	/* 1 << 4 | 1 << 6 */
/* True when matching needs the owners (proc, pid). */
bool filter_needs_procs(const struct filter *f);
/* True when a comparison reads tcp_info ("rtt > 100ms"), or the health
 * records (sock_health.h: "lost > 0"). */
bool filter_needs_info(const struct filter *f);
bool filter_needs_health(const struct filter *f);
bool filter_needs_extra(const struct filter *f);
/* True if f matches on cgroup paths (sock_diag has them, the BPF iterator not). */
bool filter_needs_cgroups(const struct filter *f);
/* True when f is a list of states and nothing else ("state established"):
 * a socket matches by its state alone (filter_state_mask()). */
bool filter_states_only(const struct filter *f);

/* Spells raw (an interface name) as one word that "dev" reads back as raw:
 * "\\" for a backslash, "\xNN" for control, non-ASCII, space and the bytes
 * that split words ( ) ! & |. out is always terminated, never cut inside a
 * "\xNN"; returns the length the whole word needs (like snprintf). */
size_t filter_word_quote(char *out, size_t outlen, const char *raw);

/* inet_diag bytecode (INET_DIAG_REQ_BYTECODE) that keeps at least every
 * socket of a dump of this family that matches; *len 0 when the kernel can
 * not narrow the dump. The code is owned by f. */
const void *filter_bytecode(const struct filter *f, int family, size_t *len);

#endif
