/* term.c: curses on and off, and the signals that must never leave the
 * terminal raw: quit signals end the loop cleanly; crash signals restore the
 * terminal from inside the handler (with async-signal-safe calls only) and
 * then die as they would have. */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"
#include "theme.h"
/* after curses (theme.h): <term.h> defines "lines" and "columns" as macros */
#include <term.h>

static int signal_pipe[2] = { -1, -1 };
static volatile sig_atomic_t quit_requested, resize_requested;
static volatile sig_atomic_t curses_active;
static SCREEN *screen;

/* What the crash handler writes: computed while it is still safe to ask
 * terminfo, because a handler may not. */
static struct termios saved_termios;
static bool have_termios;
static char restore_seq[512];
static size_t restore_len;

static void on_signal(int sig)
{
	int saved_errno = errno;

	if (sig == SIGWINCH)
		resize_requested = 1;
	else
		quit_requested = sig;
	if (write(signal_pipe[1], "", 1) < 0) {
		/* a full pipe already holds a wake-up */
	}
	errno = saved_errno;
}

static void on_crash(int sig)
{
	if (curses_active) {
		if (write(STDOUT_FILENO, restore_seq, restore_len) < 0) {
			/* nothing more can be done from here */
		}
		if (have_termios)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Appends a terminfo capability without its $<delay> padding. */
static void restore_append(const char *cap)
{
	const char *s = tigetstr(cap);

	if (!s || s == (const char *)-1)
		return;
	for (; *s && restore_len + 1 < sizeof(restore_seq); s++) {
		if (s[0] == '$' && s[1] == '<') {
			const char *end = strchr(s, '>');

			if (end) {
				s = end;
				continue;
			}
		}
		restore_seq[restore_len++] = *s;
	}
}

static void restore_prepare(void)
{
	static const char *const caps[] = { "sgr0", "cnorm", "rmkx", "rmcup" };

	restore_len = 0;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		restore_append(caps[i]);
	if (restore_len + 2 < sizeof(restore_seq))
		restore_seq[restore_len++] = '\r', restore_seq[restore_len++] = '\n';
}

/* Installed before curses starts, so curses keeps its hands off them. */
static void signals_install(void)
{
	static const int quits[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP };
	static const int crashes[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };

	for (size_t i = 0; i < sizeof(quits) / sizeof(quits[0]); i++)
		handle(quits[i], on_signal, 0);
	handle(SIGWINCH, on_signal, SA_RESTART);
	for (size_t i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++)
		handle(crashes[i], on_crash, SA_RESETHAND);
	handle(SIGPIPE, SIG_IGN, 0);
}

int term_start(bool want_color)
{
	bool color;

	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	have_termios = tcgetattr(STDIN_FILENO, &saved_termios) == 0;
	signals_install();
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return -ENOTTY;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	/* Esc must close a prompt at once, not after a second */
	set_escdelay(25);
	color = want_color && has_colors() && start_color() == OK;
	theme_init(color);
	restore_prepare();
	curses_active = 1;
	return 0;
}

void term_stop(void)
{
	if (!screen)
		return;
	curses_active = 0;
	curs_set(1);
	endwin();
	delscreen(screen);
	screen = NULL;
}

int term_signal_fd(void)
{
	return signal_pipe[0];
}

int term_quit_signal(void)
{
	return quit_requested;
}

unsigned term_read_signals(void)
{
	char buf[64];
	unsigned events = 0;

	while (read(signal_pipe[0], buf, sizeof(buf)) > 0)
		;
	if (resize_requested) {
		resize_requested = 0;
		events |= TERM_RESIZE;
	}
	if (quit_requested)
		events |= TERM_QUIT;
	return events;
}

void term_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

bool term_unicode(void)
{
	const char *term = getenv("TERM"), *set = nl_langinfo(CODESET);

	if (!set || strcmp(set, "UTF-8"))
		return false;
	return !term || (strncmp(term, "vt", 2) && strcmp(term, "dumb") && strcmp(term, "linux"));
}
