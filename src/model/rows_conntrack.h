/* rows_conntrack.h: the conntrack pane's model (C): the table's size and
 * fill, its flows counted by protocol and TCP state, the sources with the
 * most flows, and the flows in sort order (rows_conntrack.c). Included by
 * model.h. */
#ifndef NETTOP_MODEL_ROWS_CONNTRACK_H
#define NETTOP_MODEL_ROWS_CONNTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sample/conntrack.h"
#include "../snapshot.h"

/* The flows' columns (sort keys). */
enum {
	CT_COL_PROTO, CT_COL_STATE, CT_COL_SOURCE, CT_COL_DEST, CT_COL_NAT, CT_COL_TIMEOUT,
	CT_COL_PACKETS, CT_COL_BYTES
};

/* TCP conntrack states counted apart; the last slot counts any other. */
#define CT_TCP_STATES 11
#define CT_TOP_SOURCES 5

/* A source address (the original direction's: who opened the flows) and
 * its flows. */
struct ct_source {
	uint8_t family;
	uint8_t addr[16];
	uint32_t flows;
};

struct conntrack_data {
	const struct ct_table *table;	/* the sample's; NULL: absent (absent says why) */
	const char *absent;		/* NULL when not sampled yet */
	uint32_t *order;		/* indexes into table->v, in sort order */
	size_t n;
	uint32_t by_proto[256];		/* flows per IPPROTO_* */
	uint32_t by_state[CT_TCP_STATES];
	struct ct_source top[CT_TOP_SOURCES];
	size_t ntop;
	bool accounted;			/* some flow carries bytes and packets */
};

struct model;
struct pane_rows;
struct model_params;

/* The flow of a row of the pane. */
const struct ct_flow *rows_conntrack_at(const struct model *m, size_t row);
/* The statistics that say the table hurts, i < CT_STATS_SHOWN: drop,
 * early_drop, insert_failed, search_restart. Name and value, and the rate
 * per second over interval (false: none yet, the first sample). */
#define CT_STATS_SHOWN 4
const char *rows_conntrack_stat(const struct ct_table *t, int i, uint64_t *value);
bool rows_conntrack_stat_rate(const struct ct_table *t, int i, double interval, double *rate);
/* The NAT a flow went through: "snat 10.2.0.1:40000", "dnat ...", or "". */
void rows_conntrack_nat(const struct ct_flow *f, char *buf, size_t len);
/* C: shows or hides the pane; the table is sampled while it is shown. */
unsigned conntrack_toggle_shown(struct model *m);

#endif
