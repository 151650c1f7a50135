/* closed_log.h: the screen's log of closed connections: each sample's
 * destroy events (snapshot.closed) joined, by cookie, to what the samples
 * before knew (view/closed.h), the last N kept in a ring for the Closed
 * view (E), and the newest interval's counts for the closed/s columns of
 * the states, remote and flood panes. Live and replayed samples go the same
 * way, so a replay shows what the live screen showed. No terminal here. */
#ifndef NETTOP_MODEL_CLOSED_LOG_H
#define NETTOP_MODEL_CLOSED_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../thread.h"
#include "../view/closed.h"
#include "../view/closed_filter.h"
#include "model.h"

/* The Closed view's columns, its sort keys. */
enum {
	CLOSED_COL_TIME, CLOSED_COL_PROTO, CLOSED_COL_LOCAL, CLOSED_COL_REMOTE, CLOSED_COL_STATE,
	CLOSED_COL_DURATION, CLOSED_COL_RX, CLOSED_COL_TX, CLOSED_COL_RETRANS, CLOSED_COL_RTT,
	CLOSED_COL_PROCESS
};

/* The closed/s columns of the states, remote and listeners panes: ids past
 * their panes' own (model.h); the rates are the newest interval's. */
enum { STATES_COL_CLOSED = 8, REMOTE_COL_CLOSED = 8, LISTENERS_COL_CLOSED = 8 };
/* Drops the column id from cols (n of them) while the newest sample has no
 * events to count (no listener, a recording without them); returns the
 * columns left. */
int closed_columns_fit(const struct closed_log *l, struct column *cols, int n, int id);
/* "12.5", or "-" without events (no listener, or a recording without them). */
void closed_rate_format(double rate, char *buf, size_t len);

/* The ring's length when the config names none. */
#define CLOSED_LOG_DEFAULT 10000

struct closed_entry {
	uint64_t seq;			/* 1, 2, 3 … in the order closed: the row's key */
	struct closed_conn c;
};

struct closed_log {
	struct closed_entry *ring;
	size_t cap;
	uint64_t head;			/* entries ever logged; the newest is head */
	uint64_t floor;			/* entries up to it were forgotten (a replay's jump) */
	struct closed_seen seen;
	struct closed_tally tally;	/* the newest sample's interval, and the totals */
	double interval;		/* of the newest sample (s) */
	uint64_t sample_seq;		/* the newest sample taken; 0: none */
	bool active;			/* the newest sample came with its events */
	uint64_t lost;			/* since the listener started */
	const char *note;		/* why there are no events, or may be lost; or NULL */
	struct closed_filter filter;
	/* closed_seen_update() of each sample runs here, off the loop's
	 * thread (tens of ms at 200k sockets); the next take waits for it */
	struct helper *updater;		/* NULL: in the loop's thread */
	struct sample *updating;	/* held while the updater reads it */
	uint32_t *order;		/* the rows: ring indexes, filtered and sorted */
	size_t n, order_cap;
};

/* NULL when out of memory. cap: entries kept (0: CLOSED_LOG_DEFAULT). */
struct closed_log *closed_log_new(size_t cap);
void closed_log_free(struct closed_log *l);
/* Logs s's events. before: the sample recorded before s (a replay; NULL
 * live): when it is not the one taken last (a jump), the log starts again
 * from it. */
void closed_log_take(struct closed_log *l, struct sample *s, const struct sample *before);
/* Rebuilds the rows with v, sorted by column (descending: the other way). */
void closed_log_rows(struct closed_log *l, const struct view_options *v, int column, bool descending);
/* The row'th row. */
const struct closed_entry *closed_log_at(const struct closed_log *l, size_t row);
/* Closed per second in the newest interval: in a state (as last sampled),
 * to a remote address, on a listener; -1 when not known (no events). */
double closed_log_state_rate(const struct closed_log *l, unsigned state);
double closed_log_remote_rate(const struct closed_log *l, uint8_t family, const uint8_t addr[16]);
double closed_log_listener_rate(const struct closed_log *l, const struct sock_rec *listener);

/* rows_closed.c: the Closed view as the connections pane's third form. */
extern const struct pane_model pane_closed_model;
/* E: the Closed view / the connections pane. */
unsigned action_toggle_closed(struct model *m);
/* The rows of the Closed view for the model's current view and sort, and
 * the other panes' sort by closed/s (the loop's, after new rows are
 * installed or a key changed them). */
void closed_rows_refresh(struct model *m);
/* Logs s's events in m's log (made the first time), as model_take() takes s. */
void closed_log_sample(struct model *m, struct sample *s, const struct sample *before);
/* closed_panes.c: the states, remote and listeners panes' rows sorted by
 * their closed/s column when it is their sort (after each install). */
void closed_panes_sort(struct model *m);
/* The row'th row's entry, for the views. */
const struct closed_entry *rows_closed_at(const struct model *m, size_t row);

#endif
