/* keys.c: one X-macro list of actions (name, help) and one table of key
 * bindings. The help screen and the hint bar are generated from them, so a
 * key cannot work without being documented. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../model/closed_log.h"
#include "keys.h"
#include "menu.h"
#include "names.h"
#include "netns_picker.h"
#include "prompt.h"
#include "setup.h"
#include "state.h"
#include "theme.h"
#include "views.h"

#define ACTION_LIST(X) \
	X(HELP,        help,        "This help: every key, and the 12 TCP states") \
	X(QUIT,        quit,        "Quit (the terminal is restored)") \
	X(FOCUS_NEXT,  focus_next,  "Focus the next pane") \
	X(FOCUS_PREV,  focus_prev,  "Focus the previous pane") \
	X(UP,          up,          "Select the row above") \
	X(DOWN,        down,        "Select the row below") \
	X(PAGE_UP,     page_up,     "Up one page") \
	X(PAGE_DOWN,   page_down,   "Down one page") \
	X(HOME,        home,        "Select the first row") \
	X(END,         end,         "Select the last row") \
	X(SORT_PREV,   sort_prev,   "Sort the focused pane by the column to the left") \
	X(SORT_NEXT,   sort_next,   "Sort the focused pane by the column to the right") \
	X(SORT_MENU,   sort_menu,   "Pick the focused pane's sort column from a list") \
	X(INVERT,      invert,      "Invert the sort order") \
	X(FILTER,      filter,      "Filter: 'state NAME[,NAME]' and words. Enter applies, Esc clears") \
	X(SEARCH,      search,      "Search: select the next row containing the text") \
	X(ENTER,       enter,       "Filter by the selected state, address, interface, process, listener or source") \
	X(PAUSE,       pause,       "Pause / resume sampling (the screen stays browsable)") \
	X(TCP,         tcp,         "Show / hide TCP sockets") \
	X(UDP,         udp,         "Show / hide UDP sockets") \
	X(LISTEN,      listen,      "Listening sockets only / all sockets") \
	X(NUMERIC,     numeric,     "Numeric addresses / names") \
	X(PROCS,       procs,       "Show / hide the process column (PID/Program)") \
	X(BY_PROCESS,  by_process,  "Connections by process (sockets, states, rates per program) / per socket") \
	X(FLOOD,       flood,       "Show / hide the SYN flood panes (an alert shows them)") \
	X(GROUPING,    grouping,    "SYN sources by address / by network (/24 IPv4, /64 IPv6)") \
	X(KILL,        kill,        "Close the selected connection, or all of a remote address, listener or SYN source (asks)") \
	X(FASTER,      faster,      "Refresh faster (a replay: play faster)") \
	X(SLOWER,      slower,      "Refresh slower (a replay: play slower)") \
	X(STEP_BACK,   step_back,   "Replay: pause, and one sample back") \
	X(STEP_ON,     step_on,     "Replay: pause, and one sample forward") \
	X(PLAY_SLOWER, play_slower, "Replay: play slower (down to x0.25)") \
	X(PLAY_FASTER, play_faster, "Replay: play faster (up to x16)") \
	X(REDRAW,      redraw,      "Redraw the screen") \
	X(SETUP,       setup,       "Setup: connection columns (show, hide, order), theme, interval, flood threshold; saved") \
	X(THEME,       theme,       "Next colour theme (saved)") \
	X(NETNS,       netns,       "Network namespaces: pick the one to sample, or all of them") \
	X(BY_NETNS,    by_netns,    "Connections by network namespace (with all namespaces sampled) / per socket") \
	X(HISTORY,     history,     "History graphs of the focused pane's counts (+ ] zoom in, - [ out; Enter: one state large; Esc closes)") \
	X(CONNTRACK,   conntrack,   "Conntrack table: size, fill, states, drops, top sources, NATed flows (sampled while shown)") \
	X(CLOSED,      closed,      "Closed connections (newest first, from the kernel's destroy events) / live ones")

enum action {
#define X(id, fn, help) ACT_##id,
	ACTION_LIST(X)
#undef X
	ACT_COUNT
};

#define X(id, fn, help) static unsigned act_##fn(struct ui *ui);
ACTION_LIST(X)
#undef X

static const struct {
	unsigned (*run)(struct ui *ui);
	const char *help;
} actions[ACT_COUNT] = {
#define X(id, fn, help) [ACT_##id] = { act_##fn, help },
	ACTION_LIST(X)
#undef X
};

#define CTRL(c) ((c) & 0x1f)

/* label NULL: an alias left out of the help; hint: shown in the bottom bar,
 * in this order. */
static const struct binding {
	int key;
	enum action action;
	const char *label;
	const char *hint;
} bindings[] = {
	{ KEY_F(1), ACT_HELP, "F1", "Help" },
	{ KEY_F(2), ACT_SETUP, "F2", "Setup" },
	{ 'S', ACT_SETUP, "S", NULL },
	{ 'T', ACT_THEME, "T", NULL },
	{ 'N', ACT_NETNS, "N", NULL },
	{ '?', ACT_HELP, "?", NULL },
	{ 'h', ACT_HELP, "h", NULL },
	{ KEY_F(3), ACT_SEARCH, "F3", "Search" },
	{ '/', ACT_SEARCH, "/", NULL },
	{ KEY_F(4), ACT_FILTER, "F4", "Filter" },
	{ '\\', ACT_FILTER, "\\", NULL },
	{ KEY_F(6), ACT_SORT_MENU, "F6", "SortBy" },
	{ ' ', ACT_PAUSE, "Space", "Pause" },
	{ 'Z', ACT_PAUSE, "Z", NULL },
	{ '\t', ACT_FOCUS_NEXT, "Tab", "Pane" },
	{ KEY_F(10), ACT_QUIT, "F10", "Quit" },
	{ 'E', ACT_CLOSED, "E", "Closed" },
	{ 'q', ACT_QUIT, "q", NULL },
	{ CTRL('c'), ACT_QUIT, "Ctrl-C", NULL },
	/* after Quit: a narrow bar keeps F10 */
	{ 'H', ACT_HISTORY, "H", "Graphs" },
	{ KEY_BTAB, ACT_FOCUS_PREV, "Shift-Tab", NULL },
	{ KEY_UP, ACT_UP, "Up", NULL },
	{ KEY_DOWN, ACT_DOWN, "Down", NULL },
	{ KEY_PPAGE, ACT_PAGE_UP, "PgUp", NULL },
	{ KEY_NPAGE, ACT_PAGE_DOWN, "PgDn", NULL },
	{ KEY_HOME, ACT_HOME, "Home", NULL },
	{ KEY_END, ACT_END, "End", NULL },
	{ '<', ACT_SORT_PREV, "<", NULL },
	{ '>', ACT_SORT_NEXT, ">", NULL },
	{ 'I', ACT_INVERT, "I", NULL },
	{ '\r', ACT_ENTER, "Enter", NULL },
	{ '\n', ACT_ENTER, NULL, NULL },
	{ KEY_ENTER, ACT_ENTER, NULL, NULL },
	{ 't', ACT_TCP, "t", NULL },
	{ 'u', ACT_UDP, "u", NULL },
	{ 'l', ACT_LISTEN, "l", NULL },
	{ 'n', ACT_NUMERIC, "n", NULL },
	{ 'p', ACT_PROCS, "p", NULL },
	{ 'P', ACT_BY_PROCESS, "P", NULL },
	{ 'B', ACT_BY_NETNS, "B", NULL },
	{ 'F', ACT_FLOOD, "F", NULL },
	{ 'g', ACT_GROUPING, "g", NULL },
	{ 'K', ACT_KILL, "K", NULL },
	{ '+', ACT_FASTER, "+", NULL },
	{ '=', ACT_FASTER, NULL, NULL },	/* '+' without shift */
	{ '-', ACT_SLOWER, "-", NULL },
	{ KEY_LEFT, ACT_STEP_BACK, "Left", NULL },
	{ KEY_RIGHT, ACT_STEP_ON, "Right", NULL },
	{ '[', ACT_PLAY_SLOWER, "[", NULL },
	{ ']', ACT_PLAY_FASTER, "]", NULL },
	{ CTRL('l'), ACT_REDRAW, "Ctrl-L", NULL },
	{ 'C', ACT_CONNTRACK, "C", NULL },
};

#define NBINDINGS (sizeof(bindings) / sizeof(bindings[0]))

unsigned keys_dispatch(struct ui *ui, int key)
{
	for (size_t i = 0; i < NBINDINGS; i++)
		if (bindings[i].key == key)
			return actions[bindings[i].action].run(ui);
	return 0;
}

int keys_help_count(void)
{
	return ACT_COUNT;
}

void keys_help_line(int i, char *keys, size_t klen, const char **help)
{
	size_t used = 0;

	keys[0] = '\0';
	for (size_t b = 0; b < NBINDINGS && used < klen; b++) {
		int n;

		if ((int)bindings[b].action != i || !bindings[b].label)
			continue;
		n = snprintf(keys + used, klen - used, "%s%s", used ? " " : "", bindings[b].label);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	*help = actions[i].help;
}

const char *keys_hint(int i, const char **label)
{
	for (size_t b = 0; b < NBINDINGS; b++) {
		if (!bindings[b].hint || i--)
			continue;
		*label = bindings[b].label;
		return bindings[b].hint;
	}
	return NULL;
}

static unsigned act_help(struct ui *ui)
{
	ui->mode = MODE_HELP;
	ui->help_top = 0;
	return REDO_REDRAW;
}

static unsigned act_quit(struct ui *ui)
{
	(void)ui;
	return REDO_QUIT;
}

static unsigned act_focus_next(struct ui *ui) { return pane_focus_step(&ui->m, 1); }
static unsigned act_focus_prev(struct ui *ui) { return pane_focus_step(&ui->m, -1); }
static unsigned act_up(struct ui *ui) { return pane_move(&ui->m, -1); }
static unsigned act_down(struct ui *ui) { return pane_move(&ui->m, 1); }
static unsigned act_home(struct ui *ui) { return pane_move(&ui->m, LONG_MIN); }
static unsigned act_end(struct ui *ui) { return pane_move(&ui->m, LONG_MAX); }

static long page_of(const struct ui *ui)
{
	int page = ui->page[ui->m.focus];

	return page > 1 ? page - 1 : 1;
}

static unsigned act_page_up(struct ui *ui) { return pane_move(&ui->m, -page_of(ui)); }
static unsigned act_page_down(struct ui *ui) { return pane_move(&ui->m, page_of(ui)); }
static unsigned act_sort_prev(struct ui *ui) { return view_sort_step(ui, -1); }
static unsigned act_sort_next(struct ui *ui) { return view_sort_step(ui, 1); }

static unsigned act_sort_menu(struct ui *ui)
{
	menu_open(ui);
	return REDO_REDRAW;
}

static unsigned act_invert(struct ui *ui) { return pane_sort_invert(&ui->m); }

static unsigned act_filter(struct ui *ui)
{
	prompt_open(ui, MODE_FILTER, filter_text(ui->m.filter));
	return REDO_REDRAW;
}

/* The search prompt opens empty, as vi's does; Enter on nothing repeats the
 * last search. */
static unsigned act_search(struct ui *ui)
{
	prompt_open(ui, MODE_SEARCH, "");
	return REDO_REDRAW;
}

/* A replay key's word on the status line (session/replay_control.c). */
static unsigned replay_said(struct ui *ui, const char *say)
{
	if (say)
		model_message(&ui->m, false, "%s", say);
	return REDO_REDRAW;
}

static unsigned replay_speed(struct ui *ui, int step)
{
	char buf[64];

	return replay_said(ui, replay_key_speed(ui->m.replay, step, buf, sizeof(buf)));
}

static unsigned replay_step_key(struct ui *ui, int step)
{
	return replay_said(ui, replay_key_step(ui->m.replay, step, &ui->m.paused));
}

static unsigned act_enter(struct ui *ui) { return action_enter(&ui->m); }
static unsigned act_pause(struct ui *ui)
{
	const struct sample *cur = ui->m.cur;

	if (!ui->m.replay)
		return action_toggle_pause(&ui->m);
	return replay_said(ui, replay_key_pause(ui->m.replay, cur ? cur->seq : 0, &ui->m.paused));
}

static unsigned act_tcp(struct ui *ui) { return action_toggle_proto(&ui->m, PROTO_TCP); }
static unsigned act_udp(struct ui *ui) { return action_toggle_proto(&ui->m, PROTO_UDP); }
static unsigned act_listen(struct ui *ui) { return action_toggle_listen(&ui->m); }
/* names need the resolver's threads, started the first time */
static unsigned act_numeric(struct ui *ui)
{
	return action_toggle_numeric(&ui->m, !ui->m.numeric || names_start(ui) == 0);
}
static unsigned act_procs(struct ui *ui) { return action_toggle_procs(&ui->m); }
static unsigned act_by_process(struct ui *ui)
{
	/* P is for the live connections: the Closed view gives way */
	unsigned redo = ui->m.closed_shown ? action_toggle_closed(&ui->m) : 0;

	return redo | action_toggle_by_process(&ui->m);
}
static unsigned act_flood(struct ui *ui) { return flood_toggle_shown(&ui->m); }
static unsigned act_grouping(struct ui *ui) { return flood_toggle_grouping(&ui->m); }
static unsigned act_faster(struct ui *ui)
{
	return ui->m.replay ? replay_speed(ui, 1) : action_interval_step(&ui->m, -1);
}

static unsigned act_slower(struct ui *ui)
{
	return ui->m.replay ? replay_speed(ui, -1) : action_interval_step(&ui->m, 1);
}

static unsigned act_step_back(struct ui *ui) { return replay_step_key(ui, -1); }
static unsigned act_step_on(struct ui *ui) { return replay_step_key(ui, 1); }
static unsigned act_play_slower(struct ui *ui) { return replay_speed(ui, -1); }
static unsigned act_play_faster(struct ui *ui) { return replay_speed(ui, 1); }

static unsigned act_kill(struct ui *ui)
{
	unsigned redo;

	if (ui->m.replay) {
		model_message(&ui->m, false, "a replay closes no sockets: K is for the live screen");
		return REDO_REDRAW;
	}
	redo = action_kill(&ui->m);
	/* the question waits on the status line for y or n */
	if (kill_asking(&ui->m))
		ui->mode = MODE_CONFIRM;
	return redo;
}

static unsigned act_redraw(struct ui *ui)
{
	(void)ui;
	clearok(curscr, TRUE);
	return REDO_REDRAW;
}

static unsigned act_setup(struct ui *ui) { return setup_open(ui); }
static unsigned act_theme(struct ui *ui) { return theme_step(&ui->m, 1); }
static unsigned act_netns(struct ui *ui) { return netns_picker_open(ui); }
static unsigned act_conntrack(struct ui *ui) { return conntrack_toggle_shown(&ui->m); }

static unsigned act_history(struct ui *ui)
{
	ui->mode = MODE_HISTORY;
	return REDO_REDRAW;
}

static unsigned act_closed(struct ui *ui) { return action_toggle_closed(&ui->m); }

static unsigned act_by_netns(struct ui *ui) { return action_toggle_by_netns(&ui->m); }
