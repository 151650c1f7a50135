/* raw.h: raw IP sockets through sock_diag (raw_diag), as socket records. */
#ifndef NETTOP_RAW_H
#define NETTOP_RAW_H

#include <stddef.h>

#include "../snapshot.h"

struct mnl_socket;

/* Appends the raw sockets of family (4 or 6) to snap: lport holds the IP
 * protocol, state the kernel's sk_state. 0 or -errno. */
int raw_dump(struct mnl_socket *nl, void *buf, size_t buflen, int family, struct snapshot *snap);

#endif
