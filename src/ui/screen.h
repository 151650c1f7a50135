/* screen.h: the screen's shared state and, grouped per file, every internal
 * function of src/ui/. Only src/ui/ includes curses. */
#ifndef NETTOP_SCREEN_H
#define NETTOP_SCREEN_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../options.h"
#include "../session/session.h"
#include "../view/conn_order.h"
#include "../view/flood.h"
#include "../view/view.h"

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
	PANE_CONNS, PANE_COUNT
};

enum ui_mode {
	MODE_NORMAL, MODE_HELP, MODE_FILTER, MODE_SEARCH, MODE_SORT_MENU, MODE_CONFIRM,
	MODE_SETUP, MODE_NETNS,
};

struct rect {
	int y, x, h, w;
};

/* The config's "layout": auto picks the shape by the terminal's size;
 * stacked never puts three panes side by side; single shows one at a time. */
enum layout_mode { LAYOUT_AUTO, LAYOUT_STACKED, LAYOUT_SINGLE };

/* theme.c: drawing code names a role, never a colour; a theme is one table
 * of roles, so themes can come later without touching the panes. */
#define COLOR_ROLE_LIST(X) \
	X(NORMAL)		/* plain text */ \
	X(HEADER)		/* the top line */ \
	X(HEADER_ALERT)		/* PAUSED, PARTIAL, an active filter */ \
	X(TITLE)		/* a pane's title bar */ \
	X(TITLE_FOCUS)		/* the focused pane's title bar */ \
	X(COLUMN)		/* column headers */ \
	X(COLUMN_SORTED)	/* the sort column's header */ \
	X(CURSOR)		/* the selected row of the focused pane */ \
	X(BAR)			/* the states pane's bars */ \
	X(RISE)			/* a count that grew */ \
	X(FALL)			/* a count that shrank */ \
	X(DIM)			/* zero counts, TIME_WAIT, interfaces down */ \
	X(WARN)			/* states worth a look: SYN_RECV, CLOSE_WAIT; errors */ \
	X(LISTEN)		/* listening sockets */ \
	X(KEY)			/* a key in the hint bar */ \
	X(KEY_LABEL)		/* what that key does */ \
	X(MESSAGE)		/* the status line */ \
	X(ERROR)		/* an error on the status line */ \
	X(ALERT)		/* the SYN flood banner in the header */ \
	X(CONFIRM)		/* a y/n question on the status line */ \
	X(STATE_ESTABLISHED)	/* each TCP state, where a state is shown */ \
	X(STATE_SYN_SENT) \
	X(STATE_SYN_RECV) \
	X(STATE_FIN_WAIT1) \
	X(STATE_FIN_WAIT2) \
	X(STATE_TIME_WAIT) \
	X(STATE_CLOSE) \
	X(STATE_CLOSE_WAIT) \
	X(STATE_LAST_ACK) \
	X(STATE_LISTEN) \
	X(STATE_CLOSING) \
	X(STATE_UNKNOWN)

enum color_role {
#define X(name) ROLE_##name,
	COLOR_ROLE_LIST(X)
#undef X
	ROLE_COUNT
};

void theme_init(bool color);
/* The colour role of a TCP state (enum tcp_state). */
enum color_role theme_state_role(unsigned state);
attr_t theme_attr(enum color_role role);
/* False without colours (NO_COLOR, --no-color, vt100): the monochrome forms. */
bool theme_colored(void);
/* The theme in use: its name or path as given ("default" built in). */
const char *theme_current(void);
/* Makes the theme file at path (called name) the one in use, at once when
 * the screen is up. 0, or -1 with "FILE:LINE: what is wrong" in err. */
int theme_use_file(const char *path, const char *name, char *err, size_t errlen);

/* theme_pick.c: themes by name in $XDG_CONFIG_HOME/nettop/themes, the
 * installed share/nettop/themes and ./themes (or by path). */
/* 0, or -1 with why in err (not found, or FILE:LINE: what is wrong). */
int theme_select(const char *name, char *err, size_t errlen);
/* T (step 1) and the setup screen: the next or previous theme found; a
 * broken one leaves the theme in use and says why. Returns enum redo. */
struct ui;
unsigned theme_step(struct ui *ui, int step);

/* term.c: the terminal's state, restored on every way out. */
int term_start(bool want_color);
/* The quit signal that arrived (0: none), for the exit status. */
int term_quit_signal(void);
void term_stop(void);
/* Read end of the self-pipe the signal handlers write to. */
int term_signal_fd(void);
enum term_event { TERM_QUIT = 1 << 0, TERM_RESIZE = 1 << 1 };
/* Drains the self-pipe: which signals arrived (enum term_event). */
unsigned term_read_signals(void);
/* Makes curses take the terminal's new size. */
void term_resize(void);

/* One column of a pane: id is the pane's own (a field_id for connections). */
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

/* What each pane is: its data comes from compute(), the rest is drawn by
 * table.c through rows() and cell(). Designated initialisers in panes.c. */
struct ui;
struct pane_rows;
struct model_params;
struct pane_ops {
	const char *title;
	const char *short_title;	/* for narrow screens' tabs */
	int default_sort;
	bool default_descending;
	/* Builds the pane's rows of rows->cur, in sort order. Runs in the
	 * model's worker thread (model.c): reads rows and p, nothing else. */
	void (*compute)(struct pane_rows *rows, const struct model_params *p);
	/* Frees what compute() made (rows may be a ui's shown rows, swapped out). */
	void (*release)(struct pane_rows *rows);
	int (*columns)(const struct ui *ui, struct column *out);
	size_t (*rows)(const struct ui *ui);
	/* A key that follows the row across samples (a socket's cookie). */
	uint64_t (*row_key)(const struct ui *ui, size_t row);
	/* The row whose row_key() is key, or -1; NULL: panes.c scans the rows. */
	long (*find_key)(const struct ui *ui, uint64_t key);
	/* Writes the cell's text (untrusted text escaped) and may pick a role. */
	void (*cell)(const struct ui *ui, size_t row, const struct column *c, int width,
		     char *buf, size_t len, enum color_role *role);
	/* Text after the title: a count, a note. */
	void (*summary)(const struct ui *ui, char *buf, size_t len);
	unsigned (*enter)(struct ui *ui, size_t row);
	/* K: gathers the row's sockets and asks before closing them (kill.c);
	 * NULL where a row stands for no socket. */
	unsigned (*kill)(struct ui *ui, size_t row);
};

struct pane_state {
	size_t sel, top;		/* selected row, first row shown */
	uint64_t sel_key;		/* row_key(sel), to find it in the next sample */
	bool keyed;
	int sort;			/* a column id */
	bool descending;
	int page;			/* rows shown at the last draw, for PgUp/PgDn */
};

/* pane_states.c, pane_remote.c, pane_ifaces.c, pane_conns.c; pane_procs.c is
 * the connections pane grouped by program (P); pane_flood.c, pane_listeners.c
 * and pane_sources.c make the flood band. */
extern const struct pane_ops pane_states_ops, pane_remote_ops, pane_ifaces_ops, pane_conns_ops;
extern const struct pane_ops pane_procs_ops;
extern const struct pane_ops pane_flood_ops, pane_listeners_ops, pane_sources_ops;

struct states_data {
	struct state_counts cur, prev;
	bool has_prev;
	uint32_t order[ST_COUNT];	/* enum tcp_state, in sort order */
};
struct remote_data {
	struct remote_row *rows;	/* from view_top_remote() */
	uint32_t *order;		/* indexes into rows, in sort order */
	size_t n;
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
 * made when a job is handed to the worker, so that keys may change the ui
 * meanwhile (model.c). */
struct model_params {
	const struct options *opts;
	unsigned epoch;			/* model_release() makes older results stale */
	unsigned serial;		/* the job's number: ui->jobs when handed over */
	/* 0: every pane, the counts and the flood report; else the panes whose
	 * sort alone changed, of the sample shown (the others stay) */
	unsigned only;
	struct view_options view;	/* view.filter is the params' own copy */
	unsigned view_gen;		/* ui->view_gen when copied */
	/* the panes to compute, as ui->ops; NULL for a pane not shown */
	const struct pane_ops *ops[PANE_COUNT];
	int sort[PANE_COUNT];
	bool descending[PANE_COUNT];
	struct flood_thresholds flood;
	bool flood_by_network;
	/* a replay: prev need not be the sample shown before, so its alert is
	 * found too (the alert rises against it) */
	bool prev_alert;
};

/* Every pane's rows of one sample. The worker computes them; the loop swaps
 * them into the ui whole (model_install()), so that rows, their sample and
 * the totals in the header always agree, and keys never wait for them. */
struct pane_rows {
	struct sample *cur, *prev;	/* held */
	struct model_params params;	/* what they were computed from; no filter */
	size_t tcp_total, udp_total;
	struct states_data states;
	struct remote_data remote;
	struct ifaces_data ifaces;
	struct conns_data conns;	/* or procs, as ops[PANE_CONNS] says */
	struct procs_data procs;
	struct flood_data flood;	/* the report and the flood panes' rows */
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
};

/* K's question, then the batch the sampler thread works on. */
struct kill_request {
	struct sock_rec *socks;		/* copies of the sockets to close */
	size_t n;
	char what[160];			/* "sockets to 127.0.0.5", for the question and the result */
	bool running;
};

struct prompt {
	char *buf;			/* UTF-8; grows: a filter has no length limit */
	size_t len, cursor;		/* bytes */
	size_t size;			/* of buf */
};

struct ui {
	const struct options *opts;
	struct session *session;	/* where the samples come from */
	struct replay *replay;		/* --replay: the recording's controls; NULL live */
	int record_err;			/* what stopped --record (-errno): told again at exit */
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
	unsigned long http_errors_shown; /* the --listen errors the status line told */
	const struct filter *cmdline_filter;
	struct model_params shown_params; /* what the rows on screen come from; no filter */
	size_t tcp_total, udp_total;	/* sockets in cur, for the header */

	/* what is asked for and shown */
	struct filter *filter;		/* owned; NULL: none */
	unsigned protos;
	enum listen_mode listen;
	bool numeric, show_procs, paused;
	struct resolver *names;		/* names.c: NULL until names are first shown */
	bool resolving;			/* drawing the panes: names may be looked up */
	double interval;
	unsigned view_gen;		/* bumped when the filter, protos or listen change */

	/* the panes */
	const struct pane_ops *ops[PANE_COUNT];
	struct pane_state panes[PANE_COUNT];
	struct states_data states;
	struct remote_data remote;
	struct ifaces_data ifaces;
	struct conns_data conns;
	struct procs_data procs;
	struct flood_data flood;
	enum pane_id focus;
	bool by_process;		/* the connections pane groups by program (P) */
	struct pane_state other_conns;	/* the other form's selection and sort */
	struct kill_request kill;

	/* the screen */
	struct rect rects[PANE_COUNT];
	bool shown[PANE_COUNT];
	bool too_small, tabs;		/* tabs: one pane at a time */
	enum layout_mode layout;
	int status_y;			/* -1: no status line */
	enum ui_mode mode;
	struct prompt prompt;
	char search[256];
	int help_top, menu_sel;
	char message[256];
	bool message_error;
	struct timespec message_at;
	char host[256];			/* escaped */
	int cursor_y, cursor_x;		/* the prompt's cursor; -1: hidden */

	/* settings.c and setup.c: the config file, and what it sets beyond the above */
	struct settings *settings;
	unsigned flood_threshold;	/* SYN_RECV on one listener that raises the alert */
	uint8_t col_order[FIELD_COUNT];	/* the connections pane's columns (field ids), in order */
	bool col_hidden[FIELD_COUNT];	/* hidden (PID/Program: shown by p and -p alone) */
	int setup_sel;

	/* netns_picker.c: the namespace sampled, and N's list */
	uint64_t netns_dev, netns_ino;
	char netns_label[96];		/* for the header, escaped; "": not named */
	struct netns_info *netns_list;
	size_t netns_n, netns_sel, netns_top;
};

/* ui.c */
void ui_message(struct ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* model.c: the sample request, and the views of the current sample. */
void model_request(const struct ui *ui, struct sample_request *req);
/* Takes the newest sample if one is waiting; returns enum redo. */
unsigned model_take(struct ui *ui);
/* Hands the newest sample, with what the keys chose now, to the worker;
 * the rows on screen stay until the new ones are installed. */
void model_recompute(struct ui *ui);
/* Swaps in the rows the worker finished, if any; returns enum redo. */
unsigned model_install(struct ui *ui);
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
/* Forgets the rows and samples shown, and any computed or being computed. */
void model_release(struct ui *ui);
void model_view_options(const struct ui *ui, struct view_options *v);
/* "out of memory: NAME not shown", for the status line once installed. */
void model_rows_error(struct pane_rows *rows, const char *what);

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
/* Replaces the filter by expr ("" clears); false, with the message shown,
 * when expr does not parse (the previous filter stays). */
bool model_set_filter(struct ui *ui, const char *expr);

/* panes.c: what is common to all panes: focus, selection, sort, search. */
void panes_init(struct ui *ui);
/* False for the flood panes while the flood band is hidden. */
bool pane_enabled(const struct ui *ui, enum pane_id id);
/* After compute(): finds the selected row again by its key. */
void pane_reselect(struct ui *ui, enum pane_id id);
void pane_select(struct ui *ui, enum pane_id id, long row);
unsigned pane_move(struct ui *ui, long delta);
unsigned pane_focus_step(struct ui *ui, int step);
unsigned pane_sort_step(struct ui *ui, int step);
unsigned pane_sort_set(struct ui *ui, enum pane_id id, int column);
/* The row as one line of text, for search. */
void pane_row_text(const struct ui *ui, enum pane_id id, size_t row, char *buf, size_t len);
/* Selects the next row after the selection that contains text (any case). */
bool pane_search(struct ui *ui, const char *text);
/* A count per state as "estab 5 time-wait 2", in display order. */
void pane_states_split(const uint32_t by_state[ST_COUNT], char *buf, size_t len);
/* Sorts idx (n entries) with cmp(rows, p, a, b), in the worker. A cmp
 * applies the pane's direction to its sort key only, so that ties keep one
 * order both ways. */
typedef int pane_cmp_fn(const struct pane_rows *rows, const struct model_params *p,
			uint32_t a, uint32_t b);
void pane_sort_index(const struct pane_rows *rows, const struct model_params *p, uint32_t *idx,
		     size_t n, pane_cmp_fn *cmp);

/* layout.c */
void layout_compute(struct ui *ui, int lines, int cols);

/* names.c: host and service names (not with -n, n toggles), looked up only
 * as they are drawn, never waited for. */
/* Starts the resolver threads when names are shown; -1 when it cannot. */
int names_start(struct ui *ui);
void names_stop(struct ui *ui);
bool names_shown(const struct ui *ui);
/* Around the panes' drawing: what they draw is looked up, in that order. */
void names_frame_begin(struct ui *ui);
void names_frame_end(struct ui *ui);
/* One end of r as "host:service", escaped; a name too long for width
 * columns is cut, its port kept. The screen's numeric form with -n. */
void names_endpoint(const struct ui *ui, const struct sock_rec *r, bool local, int width, char *buf,
		    size_t len);
/* The host name of addr, escaped, or the address while it is not known. */
void names_host(const struct ui *ui, int family, const uint8_t addr[16], char *buf, size_t len);

/* draw.c: text within a width, whatever its bytes. */
enum { ALIGN_LEFT, ALIGN_RIGHT };
int draw_text(int y, int x, int width, const char *s, int align);
/* Draws s at *x, cut at column end; moves *x past it. */
void draw_run(int y, int *x, int end, const char *s);
void draw_fill(int y, int x, int width);
/* Display columns of s (invalid bytes count one each). */
int text_width(const char *s);
/* Cuts s to at most width columns (width >= 2), the cut marked as draw_text
 * marks it; s has room for 3 more bytes. */
void text_fit(char *s, size_t size, int width);

/* table.c: a pane as a title bar, column headers and rows. */
void table_draw(struct ui *ui, enum pane_id id, const struct rect *r);

/* header.c: the top line, the status line and the key-hint bar. */
void header_draw(const struct ui *ui, int width);
void status_draw(struct ui *ui, int y, int width);
void hints_draw(const struct ui *ui, int y, int width);
/* True when the status line has something to say (a prompt, a message). */
bool status_wanted(const struct ui *ui);

/* screen.c */
void screen_draw(struct ui *ui);

/* frame_log.c: --frame-log FILE (a no-op without it) */
int frame_log_open(const char *path, char *msg, size_t len);
void frame_log_close(void);
double frame_log_now_ms(void);
void frame_log_key(const struct ui *ui, int key, bool function_key);	/* a key was read */
void frame_log_submitted(unsigned serial);	/* a job was handed to the worker */
void frame_log_installed(bool sorted_only, bool same_sample, double compute_ms, double install_ms);
void frame_log_drawn(const struct ui *ui, double draw_ms);	/* after each loop turn */

/* keys.c: key bindings as one table. */
unsigned keys_dispatch(struct ui *ui, int key);
/* The help screen's key section: one line per action, with its keys. */
int keys_help_count(void);
void keys_help_line(int i, char *keys, size_t klen, const char **help);
/* The hint bar's entries, in order: NULL past the end. */
const char *keys_hint(int i, const char **label);

/* actions.c: what the keys do; each returns enum redo. */
unsigned action_toggle_pause(struct ui *ui);
unsigned action_toggle_procs(struct ui *ui);
unsigned action_toggle_proto(struct ui *ui, unsigned proto);
unsigned action_toggle_listen(struct ui *ui);
unsigned action_toggle_numeric(struct ui *ui);
unsigned action_interval_step(struct ui *ui, int step);
unsigned action_enter(struct ui *ui);
unsigned action_kill(struct ui *ui);
/* P: the connections pane as one row per socket, or per program. */
unsigned action_toggle_by_process(struct ui *ui);

/* flood_watch.c: the flood report of each sample, the alert it raises, and
 * what the alert switches on (the flood band, counting SYN packets). */
/* The worker's part: the report of rows->cur (syn_recv: its SYN_RECV
 * sockets, as view_census() counted; none spares the pass), its SYN_RECV
 * rate against rows->prev and, with p->prev_alert, prev's alert. */
void flood_rows_build(struct pane_rows *rows, const struct model_params *p, uint32_t syn_recv,
		      struct model_cache *cache);
/* Frees the report and the flood panes' rows of d. */
void flood_rows_release(struct flood_data *d);
/* Swaps the report and the flood panes' rows (shown: the ui's). */
void flood_rows_swap(struct flood_data *shown, struct flood_data *rows);
/* Once a new sample's rows are in: its alert (against alert_before) and
 * what the alert switches on. Returns enum redo. */
unsigned flood_alert_update(struct ui *ui, unsigned alert_before);
/* When the alert rises (ui->flood_threshold and the defaults). */
struct flood_thresholds flood_thresholds_of(const struct ui *ui);
/* What the flood panes count: every TCP socket sampled, whatever the filter. */
void flood_view_options(const struct ui *ui, struct view_options *v);
bool flood_wants_syn_packets(const struct ui *ui);
unsigned flood_toggle_shown(struct ui *ui);
unsigned flood_toggle_grouping(struct ui *ui);
/* "127.0.0.5" or "127.0.0.0/24" */
void flood_source_format(const struct source_row *r, char *buf, size_t len);

/* kill.c: K's y/n question, and the sampler thread's answer. */
/* Sockets of the current sample that match, copied; their number, or -1. */
long kill_collect(const struct ui *ui, const struct view_options *v,
		  bool (*match)(const struct sock_rec *r, const void *arg), const void *arg,
		  struct sock_rec **out);
/* Asks "Close N [kind ]sockets PLACE? y/n"; takes socks (n of them). */
unsigned kill_ask(struct ui *ui, struct sock_rec *socks, size_t n, const char *kind,
		  const char *place);
/* True when r's remote address (IPv4-mapped as IPv4) lies in addr/prefix. */
bool kill_addr_in(const struct sock_rec *r, int family, const uint8_t *addr, int prefix);
unsigned kill_key(struct ui *ui, int key);
void kill_prompt_draw(struct ui *ui, int y, int width);
/* Reports a finished batch on the status line. */
unsigned kill_finished(struct ui *ui, const struct destroy_result *r);
void kill_release(struct ui *ui);

/* prompt.c: the one-line editor of the filter and search prompts. */
void prompt_open(struct ui *ui, enum ui_mode mode, const char *initial);
unsigned prompt_key(struct ui *ui, int key, bool function_key);
void prompt_draw(struct ui *ui, int y, int width);
void prompt_free(struct ui *ui);

/* help.c */
void help_draw(struct ui *ui);
unsigned help_key(struct ui *ui, int key);

/* settings.c: the config file. Its settings apply at start, under the
 * command line's; a setting the user changes is written back, and only then. */
/* -1 with the message in err when nettop must not start (a broken --theme). */
int settings_start(struct ui *ui, char *err, size_t errlen);
/* After keys: writes what the user changed since the last call, if anything. */
void settings_sync(struct ui *ui);
/* The file written, for the setup screen ("" when there is none). */
const char *settings_path(const struct ui *ui);
void settings_free(struct ui *ui);

/* setup.c: F2's setup screen: columns, theme, interval, flood threshold. */
unsigned setup_open(struct ui *ui);
void setup_draw(struct ui *ui);
unsigned setup_key(struct ui *ui, int key);
/* The connections pane's columns as the registry orders and shows them. */
void setup_columns_default(struct ui *ui);

/* netns_picker.c: the namespace in the header, and N's picker. */
/* Names the namespace the screen starts in (--netns, or one under /run/netns). */
void netns_picker_init(struct ui *ui);
unsigned netns_picker_open(struct ui *ui);
void netns_picker_draw(struct ui *ui);
unsigned netns_picker_key(struct ui *ui, int key);
void netns_picker_free(struct ui *ui);

/* menu.c: F6's list of sort columns. */
void menu_open(struct ui *ui);
void menu_draw(struct ui *ui);
unsigned menu_key(struct ui *ui, int key);

#endif
