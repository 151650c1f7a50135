/* main.c: parses the command line and hands over to the batch printer or the
 * screen. Only main() decides the exit status. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "batch.h"
#include "escape.h"
#include "lookup.h"
#include "netns.h"
#include "options.h"
#include "ui/ui.h"
#include "view/filter.h"

#ifndef NETTOP_VERSION
#define NETTOP_VERSION "0.1"
#endif

int main(int argc, char **argv)
{
	struct options o;
	struct filter *filter = NULL;
	char err[256];
	int status;

	setlocale(LC_ALL, "");
	if (options_parse(&o, argc, argv, err, sizeof(err)) < 0) {
		escape_report(err);
		fputs("Try 'nettop --help'.\n", stderr);
		options_free(&o);
		return 2;
	}
	if (o.help || o.version) {
		if (o.help)
			options_usage(stdout);
		else
			printf("nettop %s\n", NETTOP_VERSION);
		options_free(&o);
		return 0;
	}
	if (o.filter && !(filter = filter_parse(o.filter, lookup_filter_names(), err, sizeof(err)))) {
		escape_report(err);
		options_free(&o);
		return 2;
	}
	if (o.netns && (status = netns_enter(o.netns, err, sizeof(err))) < 0) {
		escape_report(err);
		filter_free(filter);
		options_free(&o);
		return status == -2 ? 2 : 1;
	}
	/* --count alone keeps the screen (it draws N samples, then exits, as
	 * top -n does): a benchmark can then time the screen itself */
	if (!isatty(STDOUT_FILENO) || o.json || o.continuous)
		o.batch = true;
	status = o.batch ? batch_run(&o, filter) : ui_run(&o, filter);
	filter_free(filter);
	options_free(&o);
	return status;
}
