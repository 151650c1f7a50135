/* test_ui_table.c: what table.c draws, read back from curses' own screen
 * (a terminal on /dev/null): counts show whole, however many digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"
#include "ui/table.h"
#include "ui/theme.h"

struct screen_fixture {
	struct options opts;
	struct ui ui;
	struct sample sample;
	SCREEN *term;
	FILE *out, *in;
};

static int setup(void **state)
{
	struct screen_fixture *f = calloc(1, sizeof(*f));
	char *argv[] = { "nettop" };
	char err[256];

	assert_non_null(f);
	assert_int_equal(options_parse(&f->opts, 1, argv, err, sizeof(err)), 0);
	model_init(&f->ui.m, &f->opts, NULL);
	panes_columns_default(&f->ui.m);
	f->ui.m.cur = &f->sample;	/* the panes draw rows once there is a sample */
	f->out = fopen("/dev/null", "w");
	f->in = fopen("/dev/null", "r");
	assert_non_null(f->out);
	assert_non_null(f->in);
	f->term = newterm("xterm", f->out, f->in);
	assert_non_null(f->term);
	theme_init(false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct screen_fixture *f = *state;

	endwin();
	delscreen(f->term);
	fclose(f->out);
	fclose(f->in);
	f->ui.m.cur = NULL;
	model_free(&f->ui.m);
	options_free(&f->opts);
	free(f);
	return 0;
}

/* Line y of the screen, its trailing blanks cut. */
static void screen_line(int y, char *buf, int len)
{
	int n = mvinnstr(y, 0, buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
}

/* 10,000,000 sockets in one state (and as many more than the sample
 * before) show every digit, in a pane of 40 columns. */
static void test_counts_of_ten_million_show_whole(void **state)
{
	struct screen_fixture *f = *state;
	struct states_data *d = &f->ui.m.states;
	char line[256];
	bool count = false, change = false;

	for (int s = 0; s < ST_COUNT; s++)
		d->order[s] = (uint32_t)s;
	d->cur.n[ST_ESTABLISHED] = 10000000;
	d->cur.n[ST_TIME_WAIT] = 12345678;
	d->prev.n[ST_TIME_WAIT] = 2345678;
	d->has_prev = true;
	table_draw(&f->ui, PANE_STATES, &(struct rect){ .y = 0, .x = 0, .h = 16, .w = 40 });
	for (int y = 0; y < 16; y++) {
		screen_line(y, line, sizeof(line));
		if (strstr(line, "ESTABLISHED") && strstr(line, " 10000000"))
			count = true;
		if (strstr(line, "TIME_WAIT") && strstr(line, " 12345678 +10000000"))
			change = true;
		assert_null(strstr(line, "\xe2\x80\xa6"));	/* no ellipsis anywhere */
	}
	assert_true(count);
	assert_true(change);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts_of_ten_million_show_whole, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
