/* columns.h: the panes' columns as the model knows them: their ids, which
 * are the panes' sort keys, and how a view describes one (model.h). */
#ifndef NETTOP_MODEL_COLUMNS_H
#define NETTOP_MODEL_COLUMNS_H

/* One column of a pane's table: id is the pane's own sort key (a field_id
 * for connections). The views list them (src/ui/); the model sorts by id. */
enum column_flags {
	COL_RIGHT = 1 << 0,		/* right-aligned (numbers) */
	COL_GROW = 1 << 1,		/* takes spare room (addresses, names) */
	COL_OPTIONAL = 1 << 2,		/* dropped first when the pane is narrow */
};
struct column {
	int id;
	const char *title;
	int width;
	unsigned flags;
};
#define MAX_COLUMNS 16

/* Each pane's sort keys: the ids of its columns. */
enum { STATES_COL_STATE, STATES_COL_COUNT, STATES_COL_CHANGE, STATES_COL_BAR };
enum {
	REMOTE_COL_ADDRESS, REMOTE_COL_CONNS, REMOTE_COL_STATES, REMOTE_COL_RX, REMOTE_COL_TX,
	REMOTE_COL_SEEN, REMOTE_COL_IN, REMOTE_COL_OUT	/* REMOTE_COL_CLOSED: closed_log.h */
};
enum {
	IFACES_COL_NAME, IFACES_COL_RX, IFACES_COL_TX, IFACES_COL_RX_PKTS, IFACES_COL_TX_PKTS,
	IFACES_COL_ERRORS, IFACES_COL_DROPS
};
enum { PROCS_COL_PROGRAM, PROCS_COL_SOCKETS, PROCS_COL_RX, PROCS_COL_TX, PROCS_COL_STATES,
       PROCS_COL_SEEN, PROCS_COL_IN, PROCS_COL_OUT };
enum { FLOOD_COL_NAME, FLOOD_COL_COUNT, FLOOD_COL_RATE, FLOOD_COL_TREND };
enum {
	LISTENERS_COL_LOCAL, LISTENERS_COL_SYN_RECV, LISTENERS_COL_ACCEPT, LISTENERS_COL_BACKLOG
};
enum { SOURCES_COL_SOURCE, SOURCES_COL_SYN_RECV, SOURCES_COL_PACKETS };

#endif
