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
#include "../sample/sampler_thread.h"
#include "../view/view.h"

/* What an action or an event leaves to be done; the loop does each once. */
enum redo {
	REDO_REDRAW = 1 << 0,
	REDO_RECOMPUTE = 1 << 1,	/* views from the current sample (then redraw) */
	REDO_RESAMPLE = 1 << 2,		/* the sample request changed: sample again now */
	REDO_QUIT = 1 << 3,
};

enum pane_id { PANE_STATES, PANE_REMOTE, PANE_IFACES, PANE_CONNS, PANE_COUNT };

enum ui_mode { MODE_NORMAL, MODE_HELP, MODE_FILTER, MODE_SEARCH, MODE_SORT_MENU };

struct rect {
	int y, x, h, w;
};

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
	X(ERROR)		/* an error on the status line */

enum color_role {
#define X(name) ROLE_##name,
	COLOR_ROLE_LIST(X)
#undef X
	ROLE_COUNT
};

void theme_init(bool color);
attr_t theme_attr(enum color_role role);

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
struct pane_ops {
	const char *title;
	const char *short_title;	/* for narrow screens' tabs */
	int default_sort;
	bool default_descending;
	/* Rebuilds the pane's rows from the current sample, in sort order. */
	void (*compute)(struct ui *ui);
	void (*release)(struct ui *ui);
	int (*columns)(const struct ui *ui, struct column *out);
	size_t (*rows)(const struct ui *ui);
	/* A key that follows the row across samples (a socket's cookie). */
	uint64_t (*row_key)(const struct ui *ui, size_t row);
	/* Writes the cell's text (untrusted text escaped) and may pick a role. */
	void (*cell)(const struct ui *ui, size_t row, const struct column *c, int width,
		     char *buf, size_t len, enum color_role *role);
	/* Text after the title: a count, a note. */
	void (*summary)(const struct ui *ui, char *buf, size_t len);
	unsigned (*enter)(struct ui *ui, size_t row);
};

struct pane_state {
	size_t sel, top;		/* selected row, first row shown */
	uint64_t sel_key;		/* row_key(sel), to find it in the next sample */
	bool keyed;
	int sort;			/* a column id */
	bool descending;
	int page;			/* rows shown at the last draw, for PgUp/PgDn */
};

/* pane_states.c, pane_remote.c, pane_ifaces.c, pane_conns.c */
extern const struct pane_ops pane_states_ops, pane_remote_ops, pane_ifaces_ops, pane_conns_ops;

struct states_data {
	struct state_counts cur, prev;
	bool has_prev;
	uint64_t counted_seq;		/* the sample cur was counted from ... */
	unsigned counted_gen;		/* ... under this ui->view_gen */
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
	uint32_t *index;		/* indexes into snap->socks */
	size_t n;
};

struct prompt {
	char buf[256];			/* UTF-8 */
	size_t len, cursor;		/* bytes */
};

struct ui {
	const struct options *opts;
	struct sampler_thread *sampler;
	struct sample *cur, *prev;	/* held references; cur NULL until the first */
	long samples;			/* acquired so far, for --count */
	size_t tcp_total, udp_total;	/* sockets in cur, for the header */

	/* what is asked for and shown */
	struct filter *filter;		/* owned; NULL: none */
	unsigned protos;
	enum listen_mode listen;
	bool numeric, show_procs, paused;
	double interval;
	unsigned view_gen;		/* bumped when the filter, protos or listen change */

	/* the panes */
	const struct pane_ops *ops[PANE_COUNT];
	struct pane_state panes[PANE_COUNT];
	struct states_data states;
	struct remote_data remote;
	struct ifaces_data ifaces;
	struct conns_data conns;
	enum pane_id focus;

	/* the screen */
	struct rect rects[PANE_COUNT];
	bool shown[PANE_COUNT];
	bool too_small, tabs;		/* tabs: one pane at a time */
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
};

/* ui.c */
void ui_message(struct ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* model.c: the sample request, and the views of the current sample. */
void model_request(const struct ui *ui, struct sample_request *req);
/* Takes the newest sample if one is waiting; returns enum redo. */
unsigned model_take(struct ui *ui);
void model_recompute(struct ui *ui);
void model_release(struct ui *ui);
void model_view_options(const struct ui *ui, struct view_options *v);
/* Replaces the filter by expr ("" clears); false, with the message shown,
 * when expr does not parse (the previous filter stays). */
bool model_set_filter(struct ui *ui, const char *expr);

/* panes.c: what is common to all panes: focus, selection, sort, search. */
void panes_init(struct ui *ui);
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
/* Sorts idx (n entries) with cmp(ui, a, b). A cmp applies the pane's
 * direction to its sort key only, so that ties keep one order both ways. */
void pane_sort_index(const struct ui *ui, uint32_t *idx, size_t n,
		     int (*cmp)(const struct ui *ui, uint32_t a, uint32_t b));

/* layout.c */
void layout_compute(struct ui *ui, int lines, int cols);

/* draw.c: text within a width, whatever its bytes. */
enum { ALIGN_LEFT, ALIGN_RIGHT };
int draw_text(int y, int x, int width, const char *s, int align);
/* Draws s at *x, cut at column end; moves *x past it. */
void draw_run(int y, int *x, int end, const char *s);
void draw_fill(int y, int x, int width);
/* Display columns of s (invalid bytes count one each). */
int text_width(const char *s);

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

/* prompt.c: the one-line editor of the filter and search prompts. */
void prompt_open(struct ui *ui, enum ui_mode mode, const char *initial);
unsigned prompt_key(struct ui *ui, int key, bool function_key);
void prompt_draw(struct ui *ui, int y, int width);

/* help.c */
void help_draw(struct ui *ui);
unsigned help_key(struct ui *ui, int key);

/* menu.c: F6's list of sort columns. */
void menu_open(struct ui *ui);
void menu_draw(struct ui *ui);
unsigned menu_key(struct ui *ui, int key);

#endif
