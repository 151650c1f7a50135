/* model.h: the screen's model, free of the terminal library: what is
 * sampled and shown (protocols, listeners, the filter, the interval), every
 * pane's rows of the current sample with its sort and selection, the flood
 * watch, K's request, and what each key does to them. src/ui/ draws it and
 * reads the keys; nothing here calls into src/ui/. Prototypes grouped per
 * file. */
#ifndef NETTOP_MODEL_H
#define NETTOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../options.h"
#include "../session/session.h"
#include "../view/conn_order.h"
#include "../view/flood.h"
#include "../view/view.h"
#include "columns.h"
#include "rows_conntrack.h"

/* What an action or an event leaves to be done; the loop does each once. */
enum redo {
	REDO_REDRAW = 1 << 0,
	REDO_RECOMPUTE = 1 << 1,	/* views from the current sample (then redraw) */
	REDO_RESAMPLE = 1 << 2,		/* the sample request changed: sample again now */
	REDO_QUIT = 1 << 3,
	REDO_REQUEST = 1 << 4,		/* the request changed: for the next sample due */
};

/* In focus order. The flood panes are there only while the flood band is
 * shown (pane_enabled()). */
enum pane_id {
	PANE_STATES, PANE_REMOTE, PANE_IFACES,
	PANE_FLOOD, PANE_LISTENERS, PANE_SOURCES,
	PANE_CONNS, PANE_CONNTRACK, PANE_COUNT
};

/* What each pane's rows are: compute() builds them (in the worker), the
 * rest reads them. The panes' views (src/ui/view_*.c) draw them.
 * Designated initialisers in rows_*.c. */
struct model;
struct pane_rows;
struct model_params;
struct pane_model {
	const char *title;
	const char *short_title;	/* for narrow screens' tabs */
	int default_sort;
	bool default_descending;
	/* Builds the pane's rows of rows->cur, in sort order. Runs in the
	 * model's worker thread (model.c): reads rows and p, nothing else. */
	void (*compute)(struct pane_rows *rows, const struct model_params *p);
	/* Frees what compute() made (rows may be a model's shown rows, swapped out). */
	void (*release)(struct pane_rows *rows);
	size_t (*rows)(const struct model *m);
	/* A key that follows the row across samples (a socket's cookie). */
	uint64_t (*row_key)(const struct model *m, size_t row);
	/* The row whose row_key() is key, or -1; NULL: panes.c scans the rows. */
	long (*find_key)(const struct model *m, uint64_t key);
	unsigned (*enter)(struct model *m, size_t row);
	/* K: gathers the row's sockets and asks before closing them (kill.c);
	 * NULL where a row stands for no socket. */
	unsigned (*kill)(struct model *m, size_t row);
};

/* rows_states.c, rows_remote.c, rows_ifaces.c, rows_conns.c; rows_procs.c is
 * the connections pane grouped by program (P); rows_flood.c,
 * rows_listeners.c and rows_sources.c make the flood band. */
extern const struct pane_model pane_states_model, pane_remote_model, pane_ifaces_model;
extern const struct pane_model pane_conns_model, pane_procs_model;
extern const struct pane_model pane_flood_model, pane_listeners_model, pane_sources_model;
/* rows_conntrack.c: the conntrack table (C), alone on screen while shown. */
extern const struct pane_model pane_conntrack_model;
/* rows_netns.c: the connections pane grouped by network namespace (B) */
extern const struct pane_model pane_netns_model;

/* A pane's selection and sort. */
struct pane_state {
	size_t sel, top;		/* selected row, first row shown */
	uint64_t sel_key;		/* row_key(sel), to find it in the next sample */
	bool keyed;
	int sort;			/* a column id */
	bool descending;
};

struct states_data {
	struct state_counts cur, prev;
	bool has_prev;
	uint32_t order[ST_COUNT];	/* enum tcp_state, in sort order */
};
/* totals.c: a remote address's or a process's running totals since start. */
struct running_total {
	uint64_t seen;			/* connections first seen */
	uint64_t bytes_in, bytes_out;
	bool known;
};
struct remote_data {
	struct remote_row *rows;	/* from view_top_remote() */
	uint32_t *order;		/* indexes into rows, in sort order */
	size_t n;
	struct running_total *totals;	/* per row (as rows); NULL: none yet */
	uint64_t totals_dropped;	/* addresses and processes past the tables' room */
};
struct ifaces_data {
	uint32_t *order;		/* indexes into snap->ifaces */
	size_t n;
};
struct conns_data {
	struct conn_order *order;	/* sorted as it is read (conn_order.h) */
};

struct procs_data {
	struct process_row *rows;	/* view_by_process(), owners not yet known apart */
	uint32_t *order;
	size_t n;
	struct running_total *totals;	/* per row (as rows); NULL: none yet */
};

/* The flood pane's rows: SYN_RECV, then the kernel's counters. */
#define FLOOD_INDICATORS 8

/* A SYN source: SYN_RECV sockets from it, and the SYNs it sent when they
 * are counted (--syn-sources, or as root while the alert is raised). */
struct source_row {
	uint8_t family;			/* 4 or 6 */
	uint8_t prefix;			/* 32/128, or 24/64 grouped by network */
	uint8_t addr[16];		/* masked to prefix */
	uint32_t syn_recv;
	uint32_t packets;		/* SYNs during the sample's interval */
	uint16_t netns;			/* whose listeners it floods (flood_source's), or UINT16_MAX */
};

struct flood_data {
	struct flood_report report;	/* of cur, over every TCP socket sampled */
	uint64_t seq;			/* the sample the report is of; 0: none */
	bool by_network;		/* sources grouped by /24 and /64 */
	bool shown;			/* the flood band is on screen */
	unsigned alert;			/* enum flood_cause bits of cur */
	bool sniff;			/* SYNs counted because of an alert */
	int quiet_samples;		/* since the alert fell */
	double syn_recv_rate;		/* change of report.syn_recv per second */
	bool has_rate;
	uint32_t counter_order[FLOOD_INDICATORS];
	uint32_t *listener_order;	/* indexes into report.listeners */
	size_t nlisteners;
	struct source_row *sources;	/* report.sources and the SYN packets, merged */
	uint32_t *source_order;
	size_t nsources;
};

/* What the panes' rows are computed from: a copy of what the keys chose,
 * made when a job is handed to the worker, so that keys may change the model
 * meanwhile (model.c). */
struct model_params {
	const struct options *opts;
	unsigned epoch;			/* model_release() makes older results stale */
	unsigned serial;		/* the job's number: model->jobs when handed over */
	/* 0: every pane, the counts and the flood report; else the panes whose
	 * sort alone changed, of the sample shown (the others stay) */
	unsigned only;
	struct view_options view;	/* view.filter is the params' own copy */
	unsigned view_gen;		/* model->view_gen when copied */
	/* the panes to compute, as model->ops; NULL for a pane not shown */
	const struct pane_model *ops[PANE_COUNT];
	int sort[PANE_COUNT];
	bool descending[PANE_COUNT];
	struct flood_thresholds flood;
	bool flood_by_network;
	/* a replay: prev need not be the sample shown before, so its alert is
	 * found too (the alert rises against it) */
	bool prev_alert;
	/* prev is a summary (prev_keep.c): its counts are only those kept */
	bool prev_summary;
	/* the connections pane's selection when the job was handed over: its
	 * place is found, and the rows around it sorted, in the worker */
	uint64_t conns_sel_key;
	bool conns_keyed;
	size_t conns_sel;
};

/* Every pane's rows of one sample. The worker computes them; the loop swaps
 * them into the model whole (model_install()), so that rows, their sample and
 * the totals in the header always agree, and keys never wait for them. */
struct pane_rows {
	struct sample *cur, *prev;	/* held */
	struct model_params params;	/* what they were computed from; no filter */
	size_t tcp_total, udp_total;
	double shown_rx_bps, shown_tx_bps;	/* the visible TCP sockets' rates, summed */
	struct states_data states;
	struct remote_data remote;
	struct ifaces_data ifaces;
	struct conns_data conns;	/* or procs, as ops[PANE_CONNS] says */
	struct procs_data procs;
	struct flood_data flood;	/* the report and the flood panes' rows */
	struct conntrack_data conntrack;
	unsigned prev_alert;		/* with model_params.prev_alert */
	/* the remote addresses view_census() gathered for the remote pane,
	 * which takes them (else it makes a pass of its own) */
	struct addr_groups remotes;
	bool has_remotes;
	/* and every listener and request socket, for the flood report */
	struct flood_gather flood_gather;
	bool has_flood;
	double compute_ms;		/* the worker's time on them (--frame-log) */
	char error[128];		/* what could not be computed; "" */
	struct history_point *history_point;	/* cur's values for the history; NULL */
};

/* What the worker keeps from one job to the next, so that a sample is
 * counted once although each job compares two. */
/* A sample's state counts under one view, kept for the jobs after: the
 * states pane compares each sample with the one before under the view
 * shown, and a key that goes back to a view (l, t, a filter cleared) finds
 * the sample before already counted under it. */
#define STATES_KEPT 6
struct states_kept {
	uint64_t seq;			/* 0: empty */
	unsigned epoch;
	unsigned protos;
	enum listen_mode listen;
	uint64_t filter_hash;		/* of its text; 0: none */
	struct state_counts states;
};

/* What the worker keeps from one job to the next, so that a sample is
 * counted once although each job compares two. */
struct model_cache {
	unsigned epoch;
	uint64_t seq;			/* the sample below; 0: none */
	struct states_kept kept[STATES_KEPT];
	unsigned kept_next;		/* the slot to fill next */
	uint32_t syn_recv;
	/* the sample before seq's, for a key's job on the same two samples:
	 * its SYN_RECV count (whatever the view) */
	uint64_t before_seq;		/* 0: none */
	uint32_t before_syn_recv;
	unsigned alert;			/* under alert_threshold */
	uint32_t alert_threshold;
	struct totals *totals;		/* totals.c: since start, per address and process */
};

/* K's question, then the batch the sampler thread works on. */
struct kill_request {
	struct sock_rec *socks;		/* copies of the sockets to close */
	size_t n;
	char what[160];			/* "sockets to 127.0.0.5", for the question and the result */
	bool running;
};

/* The model: what the keys chose, and the rows shown. */
struct model {
	const struct options *opts;
	struct session *session;	/* where the samples come from */
	struct replay *replay;		/* --replay: the recording's controls; NULL live */
	struct sample *cur, *prev;	/* held references; cur NULL until the first */
	long samples;			/* acquired so far, for --count */
	/* model.c: the newest sample acquired and the one it is compared with
	 * (held): what the worker computes rows of, until they replace cur */
	struct sample *next, *next_prev;
	struct model_worker *worker;
	unsigned model_epoch;		/* model_release() bumps it: older rows are dropped */
	unsigned jobs;			/* handed to the worker so far */
	unsigned resample_after;	/* sample again once this job's rows show; 0: no */
	/* --prometheus, --listen: fed by the worker, from the command line's
	 * options (cmdline_filter), whatever the keys show */
	struct exporter *exporter;
	const struct filter *cmdline_filter;
	struct model_params shown_params; /* what the rows on screen come from; no filter */
	size_t tcp_total, udp_total;	/* sockets in cur, for the header */
	double shown_rx_bps, shown_tx_bps;	/* the connections pane's total line */

	/* what is asked for and shown */
	struct filter *filter;		/* owned; NULL: none */
	unsigned protos;
	enum listen_mode listen;
	bool numeric, show_procs, paused;
	double interval;
	unsigned view_gen;		/* bumped when the filter, protos or listen change */

	/* the panes */
	const struct pane_model *ops[PANE_COUNT];
	struct pane_state panes[PANE_COUNT];
	struct states_data states;
	struct remote_data remote;
	struct ifaces_data ifaces;
	struct conns_data conns;
	struct procs_data procs;
	struct flood_data flood;
	struct conntrack_data conntrack;
	bool conntrack_shown;		/* C: the conntrack pane in place of the others */
	enum pane_id focus;
	bool by_process;		/* the connections pane groups by program (P) */
	struct pane_state other_conns;	/* the other form's selection and sort */
	struct kill_request kill;

	/* what the last action said, for the status line (model_message()) */
	char message[256];
	bool message_error;
	struct timespec message_at;

	/* the config file's settings beyond the above (src/ui/settings.c) */
	unsigned flood_threshold;	/* SYN_RECV on one listener that raises the alert */
	uint8_t col_order[FIELD_COUNT];	/* the connections pane's columns (field ids), in order */
	bool col_hidden[FIELD_COUNT];	/* hidden (PID/Program: shown by p and -p alone) */

	/* the namespace sampled (src/ui/netns_picker.c switches it) */
	uint64_t netns_dev, netns_ino;
	char netns_label[96];		/* for the header, escaped; "": not named */

	/* history_watch.c: every sample's counts over time (H); NULL when it
	 * could not be allocated */
	struct history *history;
	struct history_loader *history_loader;	/* a replay's, while it reads */
	uint64_t history_seq;		/* the last sample added */
	int history_zoom;		/* 0: 1 min … HISTORY_ZOOMS - 1: all */
	bool history_large;		/* the states pane: the selected state alone */
	/* closed_log.h: the closed connections, and the Closed view (E) */
	struct closed_log *closed;	/* made with the first sample; NULL: out of memory */
	size_t closed_cap;		/* entries kept (0: the default) */
	bool closed_shown;		/* the connections pane shows the closed ones */
	struct pane_state other_closed;	/* the form E hides: its selection and sort */
	bool all_netns;			/* every namespace (--all-netns, the picker's first row) */
	bool by_netns;			/* the connections pane groups by namespace (B) */
	struct pane_state netns_other;	/* the form B is not showing: its selection and sort */
	/* prev_keep.c: next_prev is a summary (no socket) of the sample before
	 * next when that had prev_whole_max sockets or more */
	size_t prev_whole_max;
	bool next_prev_summary;
};

/* model.c: the model's state, the sample request, and the views of the
 * current sample. */
/* The model of the options: what they show (initial: the command line's
 * filter, held), every pane at its default sort. */
void model_init(struct model *m, const struct options *o, const struct filter *initial);
/* Says text on the status line (until the next key, or its time is up). */
void model_message(struct model *m, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void model_request(const struct model *m, struct sample_request *req);
/* Takes s (held, with before: the sample recorded before it, for a replay;
 * may be NULL) as the newest sample; returns enum redo. */
unsigned model_take(struct model *m, struct sample *s, struct sample *before);
/* Hands the newest sample, with what the keys chose now, to the worker;
 * the rows on screen stay until the new ones are installed. */
void model_recompute(struct model *m);
/* What model_install() did, for --frame-log. */
struct model_installed {
	bool sorted_only, same_sample;
	double compute_ms;
};
/* Swaps in the rows the worker finished, if any; returns enum redo (0:
 * nothing installed, *done untouched). */
unsigned model_install(struct model *m, struct model_installed *done);
/* Where model_compute() runs: a helper thread that counts half of each
 * sample meanwhile (thread.h; NULL: all in the caller), and what says
 * that a newer job replaced this one (NULL: never). */
struct helper;
struct compute_env {
	struct helper *helper;
	bool (*cancelled)(const void *arg);
	const void *cancel_arg;
};
/* census.c: the pass over rows->cur that counts and gathers for the panes,
 * and the changes' counts of rows->prev; sets *syn_recv to every SYN_RECV
 * socket's count. False when env->cancelled() stopped it. */
bool model_census(struct pane_rows *rows, const struct model_params *p, struct model_cache *cache,
		  const struct compute_env *env, uint32_t *syn_recv);
/* The worker's part: every pane's rows of rows->cur (and rows->prev).
 * False when env->cancelled() stopped it: the rows are not whole then. */
bool model_compute(struct pane_rows *rows, const struct model_params *p, struct model_cache *cache,
		   const struct compute_env *env);
/* Frees rows' contents (not rows) and drops its samples. */
void model_rows_free(struct pane_rows *rows);
void model_params_free(struct model_params *p);
/* Forgets the rows and samples shown, and any computed or being computed,
 * and (live) the history. */
void model_release(struct model *m);
/* Frees what the model owns (after model_release()). */
void model_free(struct model *m);
void model_view_options(const struct model *m, struct view_options *v);
/* "out of memory: NAME not shown", for the status line once installed. */
void model_rows_error(struct pane_rows *rows, const char *what);
/* Replaces the filter by expr ("" clears); false, with the message said,
 * when expr does not parse (the previous filter stays). */
bool model_set_filter(struct model *m, const char *expr);

/* worker.c: the model's worker thread: one job waiting at most (a newer one
 * replaces it), one result waiting at most (likewise). */
struct model_worker;
struct model_worker *worker_start(int *err);
/* Waits for the job in progress, then frees everything. */
void worker_stop(struct model_worker *w);
/* Readable when a result is waiting. */
int worker_fd(const struct model_worker *w);
/* Takes cur and prev (held references, prev may be NULL) and *p (with its
 * filter) for the next job, in place of one not yet started. */
void worker_submit(struct model_worker *w, struct sample *cur, struct sample *prev,
		   struct model_params *p);
/* The newest result not yet taken (the caller frees it, or hands it back
 * to worker_discard()), or NULL. */
struct pane_rows *worker_take(struct model_worker *w);
/* Frees rows (and what they hold) in the worker's thread, not the caller's. */
void worker_discard(struct model_worker *w, struct pane_rows *rows);
struct exporter;
struct out_options;
/* Publishes each new sample the worker computes rows of to e, with o
 * (copied; its filter must outlive the worker). Before the first job. */
void worker_export(struct model_worker *w, struct exporter *e, const struct out_options *o);
/* Takes s (a held reference) to publish to the exporter without rows, in
 * place of one not yet published: the paused screen's samples. Returns the
 * error of the last such publish (0 or -errno), once. */
int worker_export_only(struct model_worker *w, struct sample *s, unsigned epoch);

/* rows_conns.c, in the worker: the selected row found, and those around
 * it sorted: the loop's pane_reselect() and draw do not sort 1M rows. */
void rows_conns_presettle(struct pane_rows *rows, const struct model_params *p);
/* prev_keep.c: s itself below m->prev_whole_max sockets (and in a replay),
 * else a summary of it without sockets (s released). Takes s's reference. */
#define MODEL_PREV_WHOLE_MAX 65536
struct sample *model_prev_keep(struct model *m, struct sample *s);

/* panes.c: what is common to all panes: focus, selection, sort, search. */
void panes_init(struct model *m);
/* The connections pane's columns as the registry orders and shows them. */
void panes_columns_default(struct model *m);
/* False for the flood panes while the flood band is hidden. */
bool pane_enabled(const struct model *m, enum pane_id id);
/* The rows of the pane (0 before the first sample). */
size_t pane_rows(const struct model *m, enum pane_id id);
/* After compute(): finds the selected row again by its key. */
void pane_reselect(struct model *m, enum pane_id id);
void pane_select(struct model *m, enum pane_id id, long row);
/* Moves the focused pane's selection by delta rows (LONG_MIN: the first,
 * LONG_MAX: the last). */
unsigned pane_move(struct model *m, long delta);
unsigned pane_focus_step(struct model *m, int step);
/* Sorts pane id by its column (cols: its n columns as shown, for the
 * column's title); 0 when the pane has no such column. */
unsigned pane_sort_set(struct model *m, enum pane_id id, int column, const struct column *cols,
		       int n);
/* The focused pane by the column step places right of its sort column. */
unsigned pane_sort_step(struct model *m, int step, const struct column *cols, int n);
unsigned pane_sort_invert(struct model *m);
/* Selects the next row after the focused pane's selection for which
 * match(arg, pane, row) holds; false when none does. */
bool pane_search(struct model *m, bool (*match)(const void *arg, enum pane_id id, size_t row),
		 const void *arg);
/* A count per state as "estab 5 time-wait 2", in display order. */
void pane_states_split(const uint32_t by_state[ST_COUNT], char *buf, size_t len);
/* Sorts idx (n entries) with cmp(rows, p, a, b), in the worker. A cmp
 * applies the pane's direction to its sort key only, so that ties keep one
 * order both ways. */
typedef int pane_cmp_fn(const struct pane_rows *rows, const struct model_params *p,
			uint32_t a, uint32_t b);
void pane_sort_index(const struct pane_rows *rows, const struct model_params *p, uint32_t *idx,
		     size_t n, pane_cmp_fn *cmp);

/* rows_*.c: a row of the current rows, for the views. */
const struct sock_rec *rows_conns_at(const struct model *m, size_t row);
const struct remote_row *rows_remote_at(const struct model *m, size_t row);
const struct iface_rec *rows_ifaces_at(const struct model *m, size_t row);
const struct process_row *rows_procs_at(const struct model *m, size_t row);
/* An interface's errors and drops, both ways. */
uint64_t rows_ifaces_errors(const struct iface_rec *r);
uint64_t rows_ifaces_drops(const struct iface_rec *r);
/* The process of a row of the by-process pane; NULL: none, or not known yet. */
const struct proc_rec *rows_procs_proc(const struct model *m, const struct process_row *r);
/* The order of grouped rows (P's processes, B's namespaces): the sort
 * column, then by_name, which also breaks ties. */
typedef int process_name_cmp(const struct snapshot *snap, const struct process_row *x,
			     const struct process_row *y);
int rows_procs_order(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		     uint32_t b, process_name_cmp *by_name);
/* The states pane: a state's change since the sample before (0: none). */
long rows_states_change(const struct states_data *d, uint32_t state);
/* The flood pane's indicators (FLOOD_INDICATORS; flood.counter_order[row]):
 * the name, the count (-1: not known) and its rate per second. */
const char *rows_flood_name(uint32_t i);
/* The indicator's series in the history ("states.SYN_RECV",
 * "tcp_rates.syncookies_sent"), into buf. */
void rows_flood_series(uint32_t i, char *buf, size_t len);
double rows_flood_count(const struct flood_data *d, const struct snapshot *snap, uint32_t i);
bool rows_flood_rate_known(const struct flood_data *d, const struct snapshot *snap, uint32_t i);
double rows_flood_rate(const struct flood_data *d, const struct snapshot *snap, uint32_t i);
const struct flood_listener *rows_listeners_at(const struct model *m, size_t row);
/* The listening socket of a flood listener. */
const struct sock_rec *rows_listeners_sock(const struct model *m, const struct flood_listener *l);
const struct source_row *rows_sources_at(const struct model *m, size_t row);

/* actions.c: what the keys do to the model; each returns enum redo. */
unsigned action_toggle_pause(struct model *m);
unsigned action_toggle_procs(struct model *m);
unsigned action_toggle_proto(struct model *m, unsigned proto);
unsigned action_toggle_listen(struct model *m);
/* n: numeric addresses, or names (names_ready: the resolver is up). */
unsigned action_toggle_numeric(struct model *m, bool names_ready);
unsigned action_interval_step(struct model *m, int step);
unsigned action_enter(struct model *m);
unsigned action_kill(struct model *m);
/* P: the connections pane as one row per socket, or per program. */
unsigned action_toggle_by_process(struct model *m);
/* B: the connections pane by namespace, and back (actions_netns.c). */
unsigned action_toggle_by_netns(struct model *m);
/* The namespace of a by-namespace row, or NULL (rows_netns.c). */
const char *rows_netns_name(const struct model *m, const struct process_row *r);

/* flood_watch.c: the flood report of each sample, the alert it raises, and
 * what the alert switches on (the flood band, counting SYN packets). */
/* The worker's part: the report of rows->cur (syn_recv: its SYN_RECV
 * sockets, as view_census() counted; none spares the pass), its SYN_RECV
 * rate against rows->prev and, with p->prev_alert, prev's alert. */
void flood_rows_build(struct pane_rows *rows, const struct model_params *p, uint32_t syn_recv,
		      struct model_cache *cache);
/* Frees the report and the flood panes' rows of d. */
void flood_rows_release(struct flood_data *d);
/* Swaps the report and the flood panes' rows (shown: the model's). */
void flood_rows_swap(struct flood_data *shown, struct flood_data *rows);
/* Once a new sample's rows are in: its alert (against alert_before) and
 * what the alert switches on. Returns enum redo. */
unsigned flood_alert_update(struct model *m, unsigned alert_before);
/* When the alert rises (m->flood_threshold and the defaults). */
struct flood_thresholds flood_thresholds_of(const struct model *m);
/* What the flood panes count: every TCP socket sampled, whatever the filter. */
void flood_view_options(struct view_options *v);
bool flood_wants_syn_packets(const struct model *m);
unsigned flood_toggle_shown(struct model *m);
unsigned flood_toggle_grouping(struct model *m);
/* "127.0.0.5" or "127.0.0.0/24" */
void flood_source_format(const struct source_row *r, char *buf, size_t len);

/* history_watch.c: the history of the samples shown, and what H graphs. */
struct history_point;
/* The history of --history samples; a replay's is its recording's, read
 * whole now (its graphs then end at the sample shown). */
void model_history_start(struct model *m);
void model_history_free(struct model *m);
/* A replay's history once read (wait: until it is); each call takes it
 * as soon as it is whole. */
void model_history_poll(struct model *m, bool wait);
/* history_replay.c: a recording's history read in a thread of its own. */
struct history_loader;
struct history_loader *history_loader_start(const char *path, size_t points, int *err);
/* Moves the history into *out once read whole (wait: until it is), with
 * its error (0 or -errno), and frees the loader (*l set to NULL); false
 * while it reads. */
bool history_loader_take(struct history_loader **l, struct history *out, bool wait, int *err);
/* Stops reading and frees all. NULL is ignored. */
void history_loader_stop(struct history_loader *l);
/* Starts the history again (a namespace switched to: its samples count
 * from 1, and its counts are another's); a replay's stays. */
void model_history_restart(struct model *m);
/* The worker's part: rows->cur's values, from what the panes computed. */
void history_rows_collect(struct pane_rows *rows);
/* The loop's part: adds the installed rows' values (live samples; m NULL:
 * none), then frees them. */
void history_rows_take(struct model *m, struct pane_rows *rows);
/* The series H graphs for the focused pane and its selection, at most max,
 * into series (indexes into m->history->series); their number. */
size_t history_chosen(const struct model *m, size_t *series, size_t max);
/* The time the graphs end at: the sample shown (0: none). */
double history_now(const struct model *m);
/* H's zoom: step > 0 a shorter span, < 0 a longer one. */
unsigned action_history_zoom(struct model *m, int step);
/* Enter in H: the states pane's selected state alone, or all again. */
unsigned action_history_enter(struct model *m);

/* totals.c: running totals per remote address and per process, kept by the
 * worker. */
/* Counts cur against prev (both with tcp_info), once per sample. */
void totals_update(struct model_cache *cache, const struct sample *cur, const struct sample *prev);
/* Copies the totals of rows' remote addresses and processes into them. */
void totals_rows(struct pane_rows *rows, const struct model_cache *cache);
void totals_free(struct model_cache *cache);
/* A row's totals as cells: "12", "3.4M" ("-": none yet); false for a
 * column of other things. */
bool totals_cell(const struct running_total *t, int which, char *buf, size_t len);
enum { TOTAL_SEEN, TOTAL_IN, TOTAL_OUT };

/* kill.c: K's y/n question (kill.socks set until answered), the thread's
 * answer. K's copies of r (free() frees its IPv6 pair with it: NULL when
 * out of memory), and of the current sample's that match (their number). */
struct sock_rec *kill_copy_one(const struct sock_rec *r);
long kill_collect(const struct model *m, const struct view_options *v,
		  bool (*match)(const struct sock_rec *r, const void *arg), const void *arg,
		  struct sock_rec **out);
/* Asks "Close N [kind ]sockets PLACE? y/n"; takes socks (n of them). */
unsigned kill_ask(struct model *m, struct sock_rec *socks, size_t n, const char *kind,
		  const char *place);
/* True while a question waits for its answer. */
bool kill_asking(const struct model *m);
/* The answer: yes closes, no closes nothing. */
unsigned kill_answer(struct model *m, bool yes);
/* True when r's remote address (IPv4-mapped as IPv4) lies in addr/prefix. */
bool kill_addr_in(const struct sock_rec *r, int family, const uint8_t *addr, int prefix);
/* Reports a finished batch on the status line. */
unsigned kill_finished(struct model *m, const struct destroy_result *r);
void kill_release(struct model *m);

#endif
