/* fmt.c: digits written backwards into a scratch buffer, then copied. */
#include "fmt.h"

#include <arpa/inet.h>
#include <string.h>

char *fmt_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* s left-aligned in width columns. */
static char *fmt_str_left(char *p, const char *s, size_t len, int width)
{
	memcpy(p, s, len);
	p += len;
	for (int pad = width - (int)len; pad > 0; pad--)
		*p++ = ' ';
	return p;
}

static char *fmt_ipv4(char *p, const uint8_t a[4])
{
	for (int i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = fmt_u64(p, a[i]);
	}
	return p;
}

char *fmt_endpoint_netstat(char *p, int family, const uint8_t addr[16], uint16_t port)
{
	if (family == 4) {
		p = fmt_ipv4(p, addr);
	} else {
		char buf[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, addr, buf, sizeof(buf));
		p = fmt_str_left(p, buf, strlen(buf), 0);
	}
	*p++ = ':';
	if (!port) {
		*p++ = '*';
		return p;
	}
	return fmt_u64(p, port);
}
