/* ui.c: the screen's loop. It waits on the keyboard, the signal self-pipe
 * and the sampler thread's fd, gathers what must be redone, then resamples,
 * recomputes and redraws at most once each. */
#include "ui.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../batch.h"
#include "../escape.h"
#include "../export.h"
#include "screen.h"

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof(ui->message), fmt, ap);
	va_end(ap);
	ui->message_error = error;
	clock_gettime(CLOCK_MONOTONIC, &ui->message_at);
}

static int ui_init(struct ui *ui, const struct options *o, const struct filter *initial)
{
	char host[256] = "";

	memset(ui, 0, sizeof(*ui));
	ui->opts = o;
	ui->protos = o->protos;
	/* the screen shows every socket unless -l asks for listeners only */
	ui->listen = o->listen == LISTEN_ONLY ? LISTEN_ONLY : LISTEN_ALL;
	ui->numeric = o->numeric;
	ui->show_procs = o->show_procs;
	ui->interval = o->interval;
	ui->cursor_y = -1;
	panes_init(ui);
	/* --group process and --flood[=net] open the screen on what they print */
	if (o->sections & SECTION_BY_PROCESS)
		action_toggle_by_process(ui);
	ui->flood.shown = o->sections & SECTION_FLOOD;
	ui->flood.by_network = o->flood_by_network;
	ui->message[0] = '\0';
	ui->filter = filter_hold(initial);	/* parsed once, by main() */
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
	if (ui->mode == MODE_CONFIRM)
		return kill_key(ui, key);
	if (ui->mode == MODE_SETUP)
		return setup_key(ui, key);
	if (ui->mode == MODE_NETNS)
		return netns_picker_key(ui, key);
	/* a message lasts until the next key (or its time is up), as in htop;
	 * the key's own action may leave a new one */
	if (ui->message[0]) {
		ui->message[0] = '\0';
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

/* The --listen endpoint's new errors go to the status line: libmicrohttpd
 * writing them to stderr would garble the panes. */
static unsigned export_errors_show(struct ui *ui)
{
	char last[160];
	unsigned long n;

	if (!ui->exporter || (n = exporter_http_errors(ui->exporter, last, sizeof(last))) ==
			     ui->http_errors_shown)
		return 0;
	ui->http_errors_shown = n;
	ui_message(ui, true, "--listen: %lu HTTP error%s, the last: %s", n, n == 1 ? "" : "s", last);
	return REDO_REDRAW;
}

static unsigned events_wait(struct ui *ui)
{
	struct pollfd fds[] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = term_signal_fd(), .events = POLLIN },
		{ .fd = sampler_thread_fd(ui->sampler), .events = POLLIN },
		{ .fd = worker_fd(ui->worker), .events = POLLIN },
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
		redo |= model_take(ui);
	if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR)))
		return REDO_QUIT;	/* the terminal is gone */
	if (n > 0 && (fds[0].revents & POLLIN))
		redo |= keys_read(ui);
	if (n > 0 && (fds[3].revents & POLLIN))
		redo |= model_install(ui);
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
			bool later = (redo & REDO_RESAMPLE) && (redo & REDO_RECOMPUTE) && ui->next;

			model_request(ui, &req);
			sampler_thread_set_request(ui->sampler, &req, (redo & REDO_RESAMPLE) && !later);
			ui->resample_after = later ? ui->jobs + 1 : 0;
		}
		if (redo & REDO_RECOMPUTE) {
			model_recompute(ui);
			frame_log_submitted(ui->jobs);
		}
		if (redo & (REDO_REDRAW | REDO_RECOMPUTE)) {
			double start = frame_log_now_ms();

			screen_draw(ui);
			frame_log_drawn(ui, frame_log_now_ms() - start);
		} else {
			frame_log_drawn(ui, 0);
		}
		/* --count: leave once the last sample asked for is on screen */
		if (ui->opts->count && ui->samples >= ui->opts->count && ui->cur && ui->cur == ui->next)
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
	const struct options *o = ui->opts;
	sigset_t all, old;

	if (!o->prometheus && !o->listen_http)
		return 0;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ui->exporter = exporter_start(o->prometheus, o->listen_http, msg, len);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	ui->cmdline_filter = initial;
	return ui->exporter ? 0 : -1;
}

/* The worker publishes each new sample with the options --batch would use. */
static void export_feed(struct ui *ui)
{
	struct out_options listing, sections;

	if (!ui->exporter)
		return;
	batch_outputs(ui->opts, ui->cmdline_filter, &listing, &sections);
	sections.top_remote = ui->opts->prometheus_top;
	sections.flood.syn_recv_per_listener = ui->flood_threshold;
	worker_export(ui->worker, ui->exporter, &sections);
}

/* SIGINT is a quit key like q; other quit signals keep their meaning in
 * the exit status. */
static int exit_status(void)
{
	int sig = term_quit_signal();

	return sig && sig != SIGINT ? 128 + sig : 0;
}

int ui_run(const struct options *o, const struct filter *initial)
{
	const char *want_color = getenv("NO_COLOR");
	struct sample_request req;
	const char *note = NULL;
	char msg[320];
	struct ui ui;
	int err, status;

	if (ui_init(&ui, o, initial) < 0)
		return 2;
	/* The views allocate arrays of megabytes for every sample; from the
	 * heap, kept after free(), the next sample's reuse them instead of
	 * faulting fresh pages in (the loop holds two samples anyway). */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	/* the config file and the theme; a broken --theme stops nettop here */
	if (settings_start(&ui, msg, sizeof(msg)) < 0) {
		escape_report(msg);
		settings_free(&ui);
		filter_free(ui.filter);
		return 2;
	}
	if (frame_log_open(o->frame_log, msg, sizeof(msg)) < 0) {
		escape_report(msg);
		settings_free(&ui);
		filter_free(ui.filter);
		return 1;
	}
	if (export_start(&ui, initial, msg, sizeof(msg)) < 0) {
		escape_report(msg);
		settings_free(&ui);
		filter_free(ui.filter);
		return 1;
	}
	err = term_start(!o->no_color && !(want_color && *want_color));
	if (err < 0) {
		term_stop();
		fprintf(stderr, "nettop: cannot draw on this terminal (TERM=%s); try --batch\n",
			getenv("TERM") ? getenv("TERM") : "");
		exporter_stop(ui.exporter);
		settings_free(&ui);
		filter_free(ui.filter);
		return 1;
	}
	model_request(&ui, &req);
	ui.sampler = playback_start(&ui, &req, &note, msg, sizeof(msg), &status);
	if (!ui.sampler) {
		term_stop();
		escape_report(msg);
		exporter_stop(ui.exporter);
		settings_free(&ui);
		filter_free(ui.filter);
		return status;
	}
	/* after the sampler thread, which bench/flood.sh finds as the first */
	if (!(ui.worker = worker_start(&err))) {
		term_stop();
		fprintf(stderr, "nettop: cannot start the screen's worker thread: %s\n", strerror(-err));
		sampler_thread_stop(ui.sampler);
		exporter_stop(ui.exporter);
		settings_free(&ui);
		filter_free(ui.filter);
		return 1;
	}
	export_feed(&ui);
	/* names as netstat shows them, unless -n (after the threads above) */
	if (!ui.numeric && names_start(&ui) < 0)
		ui.numeric = true;
	netns_picker_init(&ui);
	if (note)
		ui_message(&ui, false, "%s", note);
	ui_loop(&ui);
	/* the terminal first: a dump in progress must not delay the user's shell */
	term_stop();
	status = exit_status();
	/* the screen said it when it happened; the shell hears it too */
	if (ui.record_err) {
		fprintf(stderr, "nettop: --record %s: %s; recording stopped, the file holds the samples before\n",
			o->record, strerror(-ui.record_err));
		status = status ? status : 1;
	}
	sampler_thread_stop(ui.sampler);
	worker_stop(ui.worker);
	exporter_stop(ui.exporter);
	names_stop(&ui);
	model_release(&ui);
	settings_free(&ui);
	netns_picker_free(&ui);
	prompt_free(&ui);
	filter_free(ui.filter);
	frame_log_close();
	return status;
}
