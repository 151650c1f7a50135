/* view_conntrack.h: the conntrack pane on screen (view_conntrack.c): the
 * table's block above its flows, and its alert in the header. */
#ifndef NETTOP_UI_VIEW_CONNTRACK_H
#define NETTOP_UI_VIEW_CONNTRACK_H

#include "state.h"

/* The block (size, fill bar, counts, statistics, top sources) at the top
 * of r, then the flows' table below it. */
void view_conntrack_draw(struct ui *ui, const struct rect *r);
/* " ALERT conntrack ... " in the header when the sample's table is 90%
 * full or drops (whether the pane is shown or not). */
void view_conntrack_alert_draw(const struct ui *ui, int y, int *x, int width);

#endif
