/* names.h: host and service names (not with -n, n toggles), looked up
 * only as they are drawn, never waited for (names.c). */
#ifndef NETTOP_UI_NAMES_H
#define NETTOP_UI_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* Starts the resolver threads when names are shown; -1 when it cannot. */
int names_start(struct ui *ui);
void names_stop(struct ui *ui);
/* Around the panes' drawing: what they draw is looked up, in that order. */
void names_frame_begin(struct ui *ui);
void names_frame_end(struct ui *ui);
/* One end of r (at address addr: a sample's sock_addr_of(), a close
 * event's own) as "host:service", escaped; a name too long for width
 * columns is cut, its port kept. The screen's numeric form with -n. */
void names_endpoint(const struct ui *ui, const struct sock_rec *r, const uint8_t addr[16], bool local,
		    int width, char *buf, size_t len);
/* The host name of addr, escaped, or the address while it is not known. */
void names_host(const struct ui *ui, int family, const uint8_t addr[16], char *buf, size_t len);

#endif
