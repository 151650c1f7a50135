/* procnet.h: what /proc/net tells: kernel TCP counters, and sockets when
 * sock_diag is missing. Parsers take text so tests and fuzzers feed them. */
#ifndef NETTOP_PROCNET_H
#define NETTOP_PROCNET_H

#include <stddef.h>

#include "../snapshot.h"

/* Parses /proc/net/snmp or /proc/net/netstat text: pairs of lines
 * "Section: Name Name…" / "Section: value value…". Returns the number of
 * counters found, or -EINVAL at the first malformed pair. */
int procnet_parse_counters(const char *text, size_t len, struct tcp_counters *out);
/* Parses /proc/net/sockstat's "TCP:" line. Returns counters found or -EINVAL. */
int procnet_parse_sockstat(const char *text, size_t len, struct tcp_counters *out);
/* Parses /proc/net/{tcp,tcp6,udp,udp6} into snap. Returns sockets added or
 * -EINVAL with *bad_line set to the first line that did not parse. */
int procnet_parse_sockets(const char *text, size_t len, int family, enum sock_proto proto,
			  struct snapshot *snap, int *bad_line);

/* The kernel's own socket counts, from sockstat and sockstat6. */
struct sockstat_counts {
	uint64_t inuse[2][2];		/* [enum sock_proto][0: IPv4, 1: IPv6] */
	uint64_t tw;			/* TIME_WAIT, both families */
	bool valid;			/* at least one file was read */
};

/* Adds the TCP, TCP6, UDP and UDP6 lines of one sockstat file to c. */
void procnet_parse_sockstat_counts(const char *text, size_t len, struct sockstat_counts *c);
/* Reads sockstat and sockstat6 under dir into c. */
void procnet_read_sockstat_counts(const char *dir, struct sockstat_counts *c);

/* Reads a whole file into a NUL-terminated malloc'd buffer. */
char *procnet_read_file(const char *path, size_t *len);
/* Fills snap->tcp from the files under dir ("/proc/net"). 0 or -errno. */
int procnet_read_counters(const char *dir, struct snapshot *snap);
/* Reads every socket from dir's tcp/tcp6/udp/udp6 files. 0 or -errno. */
int procnet_read_sockets(const char *dir, unsigned protos, unsigned families,
			 struct snapshot *snap);

#endif
