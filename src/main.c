/* main.c: parses the command line and hands over to the batch printer or the
 * screen. Only main() decides the exit status. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "batch.h"
#include "config/config.h"
#include "escape.h"
#include "lookup.h"
#include "netns.h"
#include "options.h"
#include "sample/sampler.h"
#include "session/session.h"
#include "ui/ui.h"
#include "view/filter.h"

#ifndef NETTOP_VERSION
#define NETTOP_VERSION "0.1"
#endif

/* The screen takes `backend = …` from the config file when --backend is not
 * given (its other settings are read by the screen itself). --backend bpf
 * that cannot load is a usage error, before the screen starts (--batch
 * finds out when it opens the sampler, without loading twice). */
static int backend_choose(struct options *o, char *err, size_t len)
{
	const char *why;
	char path[4096], cerr[300], from[4200] = "--backend";
	struct config c;

	/* the screen reports the file's problems; here only its backend counts */
	if (!o->backend_given && !o->batch &&
	    (o->config ? snprintf(path, sizeof(path), "%s", o->config) > 0
		       : config_default_path(path, sizeof(path)) == 0)) {
		const char *v = config_load(&c, path, cerr, sizeof(cerr)) >= 0 ?
				config_get(&c, CONFIG_backend) : NULL;

		if (v && options_backend(v, &o->backend) == 0)
			snprintf(from, sizeof(from), "%s: backend =", path);
		config_free(&c);	/* a failed load holds the path too */
	}
	if (o->backend != BACKEND_BPF || o->replay || o->batch || sampler_probe_bpf(&why) == 0)
		return 0;
	snprintf(err, len, "%s bpf: %s", from, why);
	return -1;
}

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
	/* -r, -g and -M have no screen of their own: they print, as netstat */
	if (!isatty(STDOUT_FILENO) || o.json || o.continuous || o.more)
		o.batch = true;
	if (backend_choose(&o, err, sizeof(err)) < 0) {
		escape_report(err);
		filter_free(filter);
		options_free(&o);
		return 2;
	}
	status = o.series ? session_series(&o) : o.batch ? batch_run(&o, filter) : ui_run(&o, filter);
	filter_free(filter);
	options_free(&o);
	return status;
}
