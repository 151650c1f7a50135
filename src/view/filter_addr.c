/* filter_addr.c: the filter's addresses and ports, as written after
 * src, dst, addr, sport, dport and port (filter_parse.c). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "filter_impl.h"

/* "80", ":80", ":http", "http" (a name through the caller's look-up). */
int filter_port_value(const struct filter_names *names, const char *s, uint16_t *port)
{
	char *end;
	long v;

	if (*s == ':')
		s++;
	if (!*s)
		return -1;
	v = strtol(s, &end, 10);
	if (!*end) {
		if (v < 0 || v > 65535)
			return -1;
		*port = (uint16_t)v;
		return 0;
	}
	return names && names->service ? names->service(s, port) : -1;
}

/* Splits "ADDR[/PREFIX][:PORT]", "[V6][/PREFIX][:PORT]" or "*[:PORT]"; a bare
 * IPv6 address takes no port (its colons are its own). */
static int addr_split(char *s, char **addr, char **prefix, char **port)
{
	*prefix = *port = NULL;
	if (*s == '[') {
		char *close = strchr(s, ']'), *rest;

		if (!close)
			return -1;
		*close = '\0';
		rest = close + 1;
		*addr = s + 1;
		if (*rest == '/') {
			*prefix = rest + 1;
			rest = strchr(*prefix, ':');
			if (rest)
				*rest = '\0';
		}
		if (rest && *rest == ':')
			*port = rest + 1;
		else if (rest && *rest)
			return -1;
		return 0;
	}
	*addr = s;
	if (strchr(s, '.') || *s == '*') {
		*port = strrchr(s, ':');
		if (*port)
			*(*port)++ = '\0';
	}
	*prefix = strchr(s, '/');
	if (*prefix)
		*(*prefix)++ = '\0';
	return 0;
}

int filter_addr_value(const struct filter_names *names, char *s, struct node *n)
{
	char *addr, *prefix, *port, *end;
	int max;

	n->u.addr.port = -1;
	if (addr_split(s, &addr, &prefix, &port) < 0)
		return -1;
	if (port && strcmp(port, "*")) {
		uint16_t p;

		if (filter_port_value(names, port, &p) < 0)
			return -1;
		n->u.addr.port = p;
	}
	if (!strcmp(addr, "*") || !*addr) {
		n->u.addr.family = 0;
		return prefix ? -1 : 0;
	}
	if (inet_pton(AF_INET, addr, n->u.addr.addr) == 1)
		n->u.addr.family = 4, max = 32;
	else if (inet_pton(AF_INET6, addr, n->u.addr.addr) == 1)
		n->u.addr.family = 6, max = 128;
	else
		return -1;
	n->u.addr.prefix = (uint8_t)max;
	if (prefix) {
		long v = strtol(prefix, &end, 10);

		if (!*prefix || *end || v < 0 || v > max)
			return -1;
		n->u.addr.prefix = (uint8_t)v;
	}
	return 0;
}
