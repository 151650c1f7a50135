/* fmt.h: hand-rolled formatting for the hot paths (a row per socket at a
 * million sockets): printf's parsing costs more than the kernel's dump. */
#ifndef NETTOP_FMT_H
#define NETTOP_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Each writes at p and returns the new end; the caller provides the room
 * (FMT_ENDPOINT_MAX for an endpoint, 20 for a number). No NUL is written. */
#define FMT_ENDPOINT_MAX 56

char *fmt_u64(char *p, uint64_t v);
/* netstat -n's "addr:port" ("0.0.0.0:*", "::1:80"); IPv6 unbracketed. */
char *fmt_endpoint_netstat(char *p, int family, const uint8_t addr[16], uint16_t port);

#endif
