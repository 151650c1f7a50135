/* bc_bounds.h: the local and remote port ranges outside of which an
 * inet_diag bytecode program passes no socket. */
#ifndef NETTOP_BC_BOUNDS_H
#define NETTOP_BC_BOUNDS_H

#include <stddef.h>
#include <stdint.h>

struct port_range {
	uint16_t lo, hi;		/* inclusive; lo > hi: no port */
};

/* The ranges of bytecode's accepting paths (0-65535 each when it tests no
 * port, or is not a program the walk runs). */
void bc_port_bounds(const void *bytecode, size_t len, struct port_range *local, struct port_range *remote);

#endif
