/* via_listener.h: owners for the sockets that have no file of their own. */
#ifndef NETTOP_VIA_LISTENER_H
#define NETTOP_VIA_LISTENER_H

#include "../snapshot.h"

/* A request socket or TIME_WAIT has no inode: credit the listener on the same
 * address and port, or else the one on a wildcard address of that port, and
 * flag the socket SOCK_OWNER_VIA_LISTENER. */
void via_listener_assign(struct snapshot *snap);

#endif
