/* lookup.h: the system's names a filter may hold (users, services,
 * interfaces), looked up for the parser so that view/ does no I/O. */
#ifndef NETTOP_LOOKUP_H
#define NETTOP_LOOKUP_H

#include "view/filter.h"

/* getpwnam(), getservbyname() (tcp, then udp) and if_nametoindex(). */
const struct filter_names *lookup_filter_names(void);

#endif
