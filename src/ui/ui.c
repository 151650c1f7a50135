/* ui.c: the screen's loop. It waits on the keyboard, the signal self-pipe
 * and the sampler thread's fd, gathers what must be redone, then resamples,
 * recomputes and redraws at most once each. */
#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../escape.h"
#include "../export.h"
#include "frame_log.h"
#include "help.h"
#include "keys.h"
#include "menu.h"
#include "names.h"
#include "netns_picker.h"
#include "prompt.h"
#include "screen.h"
#include "settings.h"
#include "setup.h"
#include "state.h"
#include "term.h"
#include "view_history.h"

static int ui_init(struct ui *ui, const struct options *o, const struct filter *initial)
{
	char host[256] = "";

	memset(ui, 0, sizeof(*ui));
	ui->cursor_y = -1;
	model_init(&ui->m, o, initial);
	gethostname(host, sizeof(host) - 1);
	escape_text(ui->host, sizeof(ui->host), host, strlen(host));
	return 0;
}

/* Keys go to whatever has the keyboard: a prompt, the help, the menu, or
 * the binding table. */
static unsigned key_handle(struct ui *ui, int key, bool function_key)
{
	if (function_key && key == KEY_RESIZE)
		return REDO_REDRAW;
	if (ui->mode == MODE_FILTER || ui->mode == MODE_SEARCH)
		return prompt_key(ui, key, function_key);
	/* a character whose code collides with a KEY_* value is no binding */
	if (!function_key && key >= KEY_MIN)
		return 0;
	if (ui->mode == MODE_HELP)
		return help_key(ui, key);
	if (ui->mode == MODE_SORT_MENU)
		return menu_key(ui, key);
	/* y closes; any other key (n, Esc, …) closes nothing */
	if (ui->mode == MODE_CONFIRM) {
		ui->mode = MODE_NORMAL;
		return kill_answer(&ui->m, key == 'y' || key == 'Y');
	}
	if (ui->mode == MODE_SETUP)
		return setup_key(ui, key);
	if (ui->mode == MODE_NETNS)
		return netns_picker_key(ui, key);
	if (ui->mode == MODE_HISTORY) {
		unsigned redo;

		ui->m.message[0] = '\0';
		if (history_key(ui, key, &redo))
			return redo;
		return keys_dispatch(ui, key);
	}
	/* a message lasts until the next key (or its time is up), as in htop;
	 * the key's own action may leave a new one */
	if (ui->m.message[0]) {
		ui->m.message[0] = '\0';
		return keys_dispatch(ui, key) | REDO_REDRAW;
	}
	return keys_dispatch(ui, key);
}

static unsigned keys_read(struct ui *ui)
{
	unsigned redo = 0;
	wint_t ch;
	int r;

	while (!(redo & REDO_QUIT) && (r = get_wch(&ch)) != ERR) {
		frame_log_key(ui, (int)ch, r == KEY_CODE_YES);
		redo |= key_handle(ui, (int)ch, r == KEY_CODE_YES);
	}
	/* a key that changed a setting (sort, theme, columns…) writes the file */
	settings_sync(ui);
	return redo;
}

/* Milliseconds to the next second, so the clock ticks even when paused. */
static int clock_timeout(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return (int)(1000 - now.tv_nsec / 1000000) + 1;
}

/* The pause a replay is in after a sample or event of its own, and what
 * the status line says of it. */
static unsigned replay_synced(struct model *m, int err)
{
	char buf[96];
	bool error;
	const char *say = replay_sync(m->replay, err, &m->paused, &error, buf, sizeof(buf));

	if (say)
		model_message(m, error, "%s", say);
	return REDO_REDRAW;
}

/* The newest sample from the sampler thread or the replay, and what came
 * with it (a batch of sockets closed, the replay's pause, errors). */
static unsigned samples_take(struct ui *ui)
{
	struct model *m = &ui->m;
	int err, record_err;
	struct sample *before = NULL;
	struct sample *s = session_acquire(m->session, &before, &err);
	struct destroy_result killed;
	unsigned redo = 0;

	if (session_destroy_result(m->session, &killed))
		redo |= kill_finished(m, &killed);
	if (m->replay)
		redo |= replay_synced(m, err);
	else if (err)
		model_message(m, true, "sampling failed: %s", strerror(-err));
	if ((record_err = session_record_error(m->session))) {
		ui->record_err = record_err;
		model_message(m, true, "recording stopped: --record %s: %s", m->opts->record,
			      strerror(-record_err));
		redo |= REDO_REDRAW;
	}
	if (!s) {
		sample_release(before);
		return redo | (err ? REDO_REDRAW : 0);
	}
	return redo | model_take(m, s, before);
}

/* The rows the worker finished, if any, timed for --frame-log. */
static unsigned rows_install(struct ui *ui)
{
	double start = frame_log_now_ms();
	struct model_installed done;
	unsigned redo = model_install(&ui->m, &done);

	if (redo)
		frame_log_installed(done.sorted_only, done.same_sample, done.compute_ms,
				    frame_log_now_ms() - start);
	return redo;
}

/* The --listen endpoint's new errors go to the status line: libmicrohttpd
 * writing them to stderr would garble the panes. */
static unsigned export_errors_show(struct ui *ui)
{
	char last[160];
	unsigned long n;

	if (!ui->m.exporter || (n = exporter_http_errors(ui->m.exporter, last, sizeof(last))) ==
			       ui->http_errors_shown)
		return 0;
	ui->http_errors_shown = n;
	model_message(&ui->m, true, "--listen: %lu HTTP error%s, the last: %s", n, n == 1 ? "" : "s",
		      last);
	return REDO_REDRAW;
}

static unsigned events_wait(struct ui *ui)
{
	struct pollfd fds[] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = term_signal_fd(), .events = POLLIN },
		{ .fd = session_fd(ui->m.session), .events = POLLIN },
		{ .fd = worker_fd(ui->m.worker), .events = POLLIN },
	};
	unsigned redo = 0, signals;
	int n = poll(fds, 4, clock_timeout());

	if (n < 0 && errno != EINTR)
		return REDO_QUIT;
	signals = term_read_signals();
	if (signals & TERM_QUIT)
		return REDO_QUIT;
	if (signals & TERM_RESIZE) {
		term_resize();
		redo |= REDO_REDRAW;
	}
	if (n == 0)
		redo |= REDO_REDRAW;
	redo |= export_errors_show(ui);
	if (n > 0 && (fds[2].revents & POLLIN))
		redo |= samples_take(ui);
	if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR)))
		return REDO_QUIT;	/* the terminal is gone */
	if (n > 0 && (fds[0].revents & POLLIN))
		redo |= keys_read(ui);
	if (n > 0 && (fds[3].revents & POLLIN))
		redo |= rows_install(ui);
	return redo;
}

static void ui_loop(struct ui *ui)
{
	unsigned redo = REDO_REDRAW;

	while (!(redo & REDO_QUIT)) {
		if (redo & (REDO_RESAMPLE | REDO_REQUEST)) {
			struct sample_request req;
			/* a key's view of the sample shown comes first: its dump
			 * would take the core its rows need (model_install()
			 * asks for the dump once they are shown) */
			bool later = (redo & REDO_RESAMPLE) && (redo & REDO_RECOMPUTE) && ui->m.next;

			model_request(&ui->m, &req);
			session_set_request(ui->m.session, &req, (redo & REDO_RESAMPLE) && !later);
			ui->m.resample_after = later ? ui->m.jobs + 1 : 0;
		}
		if (redo & REDO_RECOMPUTE) {
			model_recompute(&ui->m);
			frame_log_submitted(ui->m.jobs);
		}
		if (redo & (REDO_REDRAW | REDO_RECOMPUTE)) {
			double start = frame_log_now_ms();

			screen_draw(ui);
			frame_log_drawn(ui, frame_log_now_ms() - start);
		} else {
			frame_log_drawn(ui, 0);
		}
		/* --count: leave once the last sample asked for is on screen */
		if (ui->m.opts->count && ui->m.samples >= ui->m.opts->count && ui->m.cur &&
		    ui->m.cur == ui->m.next)
			break;
		redo = events_wait(ui);
	}
}

/* --prometheus FILE, --listen ADDR:PORT: what --batch exports, from the
 * samples the screen takes, live or replayed, and paused or not. Started
 * before the screen, so that a port in use is said plainly; its HTTP thread
 * leaves the signals to the loop. -1 with the message in msg. */
static int export_start(struct ui *ui, const struct filter *initial, char *msg, size_t len)
{
	const struct options *o = ui->m.opts;
	sigset_t all, old;

	if (!o->prometheus && !o->listen_http)
		return 0;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ui->m.exporter = exporter_start(o->prometheus, o->listen_http, msg, len);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	ui->m.cmdline_filter = initial;
	return ui->m.exporter ? 0 : -1;
}

/* The worker publishes each new sample with the options --batch would use. */
static void export_feed(struct ui *ui)
{
	struct out_options listing, sections;

	if (!ui->m.exporter)
		return;
	session_print_options(ui->m.opts, ui->m.cmdline_filter, &listing, &sections);
	sections.top_remote = ui->m.opts->prometheus_top;
	sections.flood.syn_recv_per_listener = ui->m.flood_threshold;
	worker_export(ui->m.worker, ui->m.exporter, &sections);
}

/* SIGINT is a quit key like q; other quit signals keep their meaning in
 * the exit status. */
static int exit_status(void)
{
	int sig = term_quit_signal();

	return sig && sig != SIGINT ? 128 + sig : 0;
}

/* Before the screen: the config file and the theme (a broken --theme stops
 * nettop here), --frame-log, the exporter, the terminal. 0, or the exit
 * status with what is wrong said and what was started undone. */
static int ui_open(struct ui *ui, const struct filter *initial, char *msg, size_t len)
{
	const struct options *o = ui->m.opts;
	const char *want_color = getenv("NO_COLOR");
	int status = 1;

	if (settings_start(ui, msg, len) < 0)
		status = 2;
	else if (frame_log_open(o->frame_log, msg, len) < 0 ||
		 export_start(ui, initial, msg, len) < 0)
		frame_log_close();
	else if (term_start(!o->no_color && !(want_color && *want_color)) < 0) {
		term_stop();
		snprintf(msg, len, "cannot draw on this terminal (TERM=%s); try --batch",
			 getenv("TERM") ? getenv("TERM") : "");
		exporter_stop(ui->m.exporter);
		frame_log_close();
	} else
		return 0;
	escape_report(msg);
	settings_free(ui);
	model_free(&ui->m);
	return status;
}

/* The samples' source: the kernel's (recorded with --record) or a
 * recording's. 0, or the exit status with the message in msg. */
static int source_start(struct ui *ui, const char **note, char *msg, size_t len)
{
	struct sample_request req;
	struct session_setup setup = { .opts = ui->m.opts, .req = &req, .interval = ui->m.interval,
				       .netns_fd = -1, .record = true };
	int err;
	bool usage;

	model_request(&ui->m, &req);
	if (!(ui->m.session = session_start(&setup, note, msg, len, &err, &usage)))
		return usage ? 2 : 1;
	if ((ui->m.replay = session_replay(ui->m.session))) {
		ui->m.paused = ui->m.opts->replay_pause > 0;
		/* the recording does not say which host it is of */
		snprintf(ui->host, sizeof(ui->host), "replay");
	}
	return 0;
}

/* The sampler thread (or the replay) and then the worker, which
 * bench/flood.sh finds after it. 0, or the exit status with everything
 * ui_open() started undone. */
static int ui_threads_start(struct ui *ui, const char **note, char *msg, size_t len)
{
	int err, status = source_start(ui, note, msg, len);

	if (!status && (ui->m.worker = worker_start(&err)))
		return 0;
	term_stop();
	if (!status) {
		snprintf(msg, len, "cannot start the screen's worker thread: %s", strerror(-err));
		session_stop(ui->m.session);
		status = 1;
	}
	escape_report(msg);
	exporter_stop(ui->m.exporter);
	settings_free(ui);
	model_free(&ui->m);
	frame_log_close();
	return status;
}

/* After the loop: the terminal first (a dump in progress must not delay the
 * user's shell), then the threads; returns the exit status. */
static int ui_close(struct ui *ui)
{
	int status;

	term_stop();
	status = exit_status();
	/* the screen said it when it happened; the shell hears it too */
	if (ui->record_err) {
		fprintf(stderr, "nettop: --record %s: %s; recording stopped, the file holds the samples before\n",
			ui->m.opts->record, strerror(-ui->record_err));
		status = status ? status : 1;
	}
	session_stop(ui->m.session);
	worker_stop(ui->m.worker);
	exporter_stop(ui->m.exporter);
	names_stop(ui);
	model_release(&ui->m);
	settings_free(ui);
	netns_picker_free(ui);
	prompt_free(ui);
	model_free(&ui->m);
	frame_log_close();
	return status;
}

int ui_run(const struct options *o, const struct filter *initial)
{
	const char *note = NULL;
	char msg[320];
	struct ui ui;
	int status;

	if (ui_init(&ui, o, initial) < 0)
		return 2;
	/* The views allocate arrays of megabytes for every sample, in three
	 * threads: kept in each thread's heap after free() (a 64 MB threshold
	 * did), they added ~200 bytes a socket to the peak at 1M sockets
	 * (bench/screen1m.sh). Mapped and unmapped instead, each array is
	 * memory only while it is used; faulting its pages in again costs
	 * less than a millisecond per MB, at a sample a second. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 20);
	if ((status = ui_open(&ui, initial, msg, sizeof(msg))) ||
	    (status = ui_threads_start(&ui, &note, msg, sizeof(msg))))
		return status;
	export_feed(&ui);
	/* names as netstat shows them, unless -n (after the threads above) */
	if (!ui.m.numeric && names_start(&ui) < 0)
		ui.m.numeric = true;
	netns_picker_init(&ui);
	if (note)
		model_message(&ui.m, false, "%s", note);
	ui_loop(&ui);
	return ui_close(&ui);
}
