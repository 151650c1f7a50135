/* procnet.c: line parsers for /proc/net; every field is length-checked. */
#include "procnet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tcpstate.h"

/* A view of one line inside a larger buffer. */
struct line {
	const char *p;
	size_t len;
};

static bool line_next(const char **cur, const char *end, struct line *l)
{
	const char *nl;

	if (*cur >= end)
		return false;
	nl = memchr(*cur, '\n', (size_t)(end - *cur));
	l->p = *cur;
	l->len = (size_t)((nl ? nl : end) - *cur);
	*cur = nl ? nl + 1 : end;
	return true;
}

/* Splits the next space-separated token off l; false at the end. */
static bool token_next(struct line *l, struct line *tok)
{
	while (l->len && (*l->p == ' ' || *l->p == '\t'))
		l->p++, l->len--;
	if (!l->len)
		return false;
	tok->p = l->p;
	while (l->len && *l->p != ' ' && *l->p != '\t')
		l->p++, l->len--;
	tok->len = (size_t)(l->p - tok->p);
	return true;
}

static bool token_is(const struct line *t, const char *s)
{
	size_t n = strlen(s);

	return t->len == n && !memcmp(t->p, s, n);
}

/* Parses an unsigned integer in base 10 or 16 covering the whole token;
 * false past 2^64 - 1 rather than wrapping round. */
static bool token_u64(const struct line *t, int base, uint64_t *v)
{
	uint64_t x = 0;

	if (!t->len || t->len > 20)
		return false;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->p[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (unsigned)((c | 0x20) - 'a' + 10);
		else
			return false;
		if (x > (UINT64_MAX - d) / (uint64_t)base)
			return false;
		x = x * (uint64_t)base + d;
	}
	*v = x;
	return true;
}

static int counter_find(const struct line *section, const struct line *key)
{
	for (int c = 0; c < TCPC_COUNT; c++) {
		const char *sec = tcp_counter_section(c);
		size_t sl = strlen(sec);

		/* the section token carries its colon: "TcpExt:" */
		if (section->len == sl + 1 && !memcmp(section->p, sec, sl) && token_is(key, tcp_counter_key(c)))
			return c;
	}
	return -1;
}

/* One header/value line pair: the same section, then as many values as names. */
static int parse_pair(struct line names, struct line values, struct tcp_counters *out)
{
	struct line nsec, vsec, name, val;
	int found = 0;

	if (!token_next(&names, &nsec) || !token_next(&values, &vsec) ||
	    nsec.len != vsec.len || memcmp(nsec.p, vsec.p, nsec.len))
		return -EINVAL;
	while (token_next(&names, &name)) {
		uint64_t v;
		int c;

		if (!token_next(&values, &val))
			return -EINVAL;
		c = counter_find(&nsec, &name);
		if (c < 0)
			continue;
		/* Tcp's MaxConn is -1; a negative value of a counter we use is bad input */
		if (!token_u64(&val, 10, &v))
			return -EINVAL;
		out->v[c] = v;
		out->present |= 1ULL << c;
		found++;
	}
	if (token_next(&values, &val))
		return -EINVAL;	/* more values than names: the lines do not pair */
	return found;
}

int procnet_parse_counters(const char *text, size_t len, struct tcp_counters *out)
{
	const char *cur = text, *end = text + len;
	struct line names, values;
	int total = 0;

	while (line_next(&cur, end, &names)) {
		int n;

		if (!names.len)
			continue;
		if (!line_next(&cur, end, &values))
			return -EINVAL;
		n = parse_pair(names, values, out);
		if (n < 0)
			return n;
		total += n;
	}
	return total;
}

int procnet_parse_sockstat(const char *text, size_t len, struct tcp_counters *out)
{
	const char *cur = text, *end = text + len;
	const struct line sec = { "Sockstat:", 9 };
	struct line l, tok, val;
	int found = 0;

	while (line_next(&cur, end, &l)) {
		if (!token_next(&l, &tok) || !token_is(&tok, "TCP:"))
			continue;
		while (token_next(&l, &tok)) {
			uint64_t v;
			int c;

			if (!token_next(&l, &val) || !token_u64(&val, 10, &v))
				return -EINVAL;
			c = counter_find(&sec, &tok);
			if (c < 0)
				continue;
			out->v[c] = v;
			out->present |= 1ULL << c;
			found++;
		}
	}
	return found;
}

void procnet_parse_sockstat_counts(const char *text, size_t len, struct sockstat_counts *c)
{
	static const struct { const char *name; int proto, family; } lines[] = {
		{ "TCP:", PROTO_TCP, 0 }, { "TCP6:", PROTO_TCP, 1 },
		{ "UDP:", PROTO_UDP, 0 }, { "UDP6:", PROTO_UDP, 1 },
	};
	const char *cur = text, *end = text + len;
	struct line l, tok, val;

	while (line_next(&cur, end, &l)) {
		size_t k = sizeof(lines) / sizeof(lines[0]);

		if (!token_next(&l, &tok))
			continue;
		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
			if (token_is(&tok, lines[i].name))
				k = i;
		while (k < sizeof(lines) / sizeof(lines[0]) && token_next(&l, &tok) && token_next(&l, &val)) {
			uint64_t v;

			if (!token_u64(&val, 10, &v))
				continue;
			if (token_is(&tok, "inuse"))
				c->inuse[lines[k].proto][lines[k].family] += v;
			else if (token_is(&tok, "tw"))
				c->tw += v;
		}
	}
}

void procnet_read_sockstat_counts(const char *dir, struct sockstat_counts *c)
{
	static const char *const files[] = { "sockstat", "sockstat6" };

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		size_t len;
		char *text;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		text = procnet_read_file(path, &len);
		if (text) {
			procnet_parse_sockstat_counts(text, len, c);
			c->valid = true;
		}
		free(text);
	}
}

/* "0100007F:0050" (IPv4) or 32 hex digits (IPv6), in the kernel's word order. */
static bool parse_hex_endpoint(const struct line *t, int family, uint8_t addr[16], uint16_t *port)
{
	size_t alen = family == 4 ? 8 : 32;
	uint64_t v;

	if (t->len != alen + 5 || t->p[alen] != ':')
		return false;
	for (size_t w = 0; w < alen / 8; w++) {
		struct line word = { t->p + w * 8, 8 };
		uint32_t host;

		if (!token_u64(&word, 16, &v))
			return false;
		host = (uint32_t)v;	/* printed as the native-endian u32 */
		memcpy(addr + w * 4, &host, 4);
	}
	struct line pt = { t->p + alen + 1, 4 };
	if (!token_u64(&pt, 16, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

/* One line of /proc/net/tcp: sl local rem st tx:rx tr:when retrnsmt uid
 * timeout inode; its addresses into a, its uid into x (NULL: not kept). */
static bool parse_socket_line(struct line l, int family, enum sock_proto proto, struct sock_rec *r,
			      struct addr_pair *a, struct sock_extra *x)
{
	struct line tok[10];
	uint64_t st, txq, rxq, uid, inode, retr;

	for (int i = 0; i < 10; i++)
		if (!token_next(&l, &tok[i]))
			return false;
	memset(a, 0, sizeof(*a));
	if (!parse_hex_endpoint(&tok[1], family, a->l, &r->lport) ||
	    !parse_hex_endpoint(&tok[2], family, a->r, &r->rport) ||
	    !token_u64(&tok[3], 16, &st) || tok[4].len != 17 || tok[4].p[8] != ':')
		return false;
	struct line tx = { tok[4].p, 8 }, rx = { tok[4].p + 9, 8 };
	if (!token_u64(&tx, 16, &txq) || !token_u64(&rx, 16, &rxq) ||
	    !token_u64(&tok[6], 16, &retr) || !token_u64(&tok[7], 10, &uid) ||
	    !token_u64(&tok[9], 10, &inode))
		return false;
	r->family = (uint8_t)family;
	r->proto = (uint8_t)proto;
	r->state = tcpstate_from_kernel((unsigned)st);
	r->send_q = (uint32_t)txq;
	r->recv_q = (uint32_t)rxq;
	r->retrans = (uint8_t)(retr > 255 ? 255 : retr);
	r->inode = (uint32_t)inode;
	if (x)
		x->uid = (uint32_t)uid;
	return true;
}

int procnet_parse_sockets(const char *text, size_t len, int family, enum sock_proto proto,
			  struct snapshot *snap, int *bad_line)
{
	const char *cur = text, *end = text + len;
	struct line l;
	int lineno = 0, added = 0;

	while (line_next(&cur, end, &l)) {
		struct sock_rec *r;
		struct addr_pair a;

		if (++lineno == 1 || !l.len)
			continue;	/* the column header */
		r = snapshot_add_sock(snap);
		if (!r)
			return -ENOMEM;
		if (!parse_socket_line(l, family, proto, r, &a,
				       snapshot_extra_slot(snap, snap->nsocks - 1))) {
			snap->nsocks--;
			if (bad_line)
				*bad_line = lineno;
			return -EINVAL;
		}
		if (snapshot_set_addrs(snap, r, a.l, a.r) < 0)
			return -ENOMEM;
		added++;
	}
	return added;
}

char *procnet_read_file(const char *path, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap), *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (!buf || fd < 0)
		goto fail;
	while ((got = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)got;
		if (cap - n < 2) {
			p = realloc(buf, cap * 2);
			if (!p)
				goto fail;
			buf = p, cap *= 2;
		}
	}
	if (got < 0)
		goto fail;
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

typedef int (*counter_parser)(const char *, size_t, struct tcp_counters *);

static int read_one(const char *dir, const char *name, counter_parser parse, struct snapshot *snap)
{
	char path[512];
	size_t len;
	char *text;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = procnet_read_file(path, &len);
	if (!text)
		return -errno;
	ret = parse(text, len, &snap->tcp);
	free(text);
	return ret < 0 ? ret : 0;
}

int procnet_read_counters(const char *dir, struct snapshot *snap)
{
	int err = read_one(dir, "snmp", procnet_parse_counters, snap);
	int err2 = read_one(dir, "netstat", procnet_parse_counters, snap);
	int err3 = read_one(dir, "sockstat", procnet_parse_sockstat, snap);

	return err ? err : err2 ? err2 : err3;
}

int procnet_read_sockets(const char *dir, unsigned protos, unsigned families,
			 struct snapshot *snap)
{
	static const struct { const char *file; int family; enum sock_proto proto; } files[] = {
		{ "tcp", 4, PROTO_TCP }, { "tcp6", 6, PROTO_TCP },
		{ "udp", 4, PROTO_UDP }, { "udp6", 6, PROTO_UDP },
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		size_t len;
		char *text;
		int ret;

		if (!(protos & (1u << files[i].proto)) || !(families & (1u << files[i].family)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].file);
		text = procnet_read_file(path, &len);
		if (!text)
			continue;	/* no IPv6 on this kernel, say */
		ret = procnet_parse_sockets(text, len, files[i].family, files[i].proto, snap, NULL);
		free(text);
		if (ret < 0)
			return ret;
	}
	return 0;
}
