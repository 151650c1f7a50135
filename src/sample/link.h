/* link.h: interfaces and their counters through rtnetlink RTM_GETLINK. */
#ifndef NETTOP_LINK_H
#define NETTOP_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"

struct mnl_socket;

/* Parses one RTM_NEWLINK message into r (name interned in snap's arena).
 * Returns 0, or -EINVAL for a message that is short or malformed. */
int link_parse_msg(const void *msg, size_t len, struct snapshot *snap, struct iface_rec *r);

/* Walks one receive buffer; returns 1 at NLMSG_DONE, 0 for more, -errno. */
int link_walk_buf(const void *buf, size_t len, uint32_t seq, struct snapshot *snap);

/* Dumps every link into snap. Returns 0 or -errno. */
int link_dump(struct mnl_socket *nl, void *buf, size_t buflen, struct snapshot *snap);

#endif
