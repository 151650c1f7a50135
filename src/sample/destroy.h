/* destroy.h: closes sockets with SOCK_DESTROY, as `ss -K` does. */
#ifndef NETTOP_DESTROY_H
#define NETTOP_DESTROY_H

#include "../snapshot.h"

struct mnl_socket;

/* Asks the kernel to close r (found by its addresses, ports and cookie).
 * Returns 0, or -errno: -EOPNOTSUPP without CONFIG_INET_DIAG_DESTROY, -EPERM
 * without CAP_NET_ADMIN, -ENOENT if it is already gone. */
int sockdiag_destroy(struct mnl_socket *nl, void *buf, size_t buflen, const struct sock_rec *r);
/* What a failure means for a user. */
const char *destroy_strerror(int err);

#endif
