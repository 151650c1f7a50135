/* by_netns.c: --group netns and --group cgroup as text: sockets per
 * network namespace, per cgroup. */
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "../tcpstate.h"
#include "print.h"

void out_by_netns(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct process_row *rows;
	long n = view_by_netns(snap, &o->view, &rows);

	fprintf(f, "Sockets by network namespace\n%7s %-24s %10s %10s  %s\n", "Sockets", "Namespace",
		"RX-B/s", "TX-B/s", "States");
	for (long i = 0; i < n; i++) {
		char name[96] = "-";
		size_t k = (size_t)rows[i].proc;

		if (k < snap->nnetns)
			escape_text(name, sizeof(name), snap->netns[k].name, strlen(snap->netns[k].name));
		fprintf(f, "%7u %-24s %10.0f %10.0f ", rows[i].sockets, name, rows[i].rx_bps,
			rows[i].tx_bps);
		for (int j = 0; j < ST_COUNT; j++) {
			enum tcp_state s = tcpstate_display_order[j];

			if (rows[i].by_state[s])
				fprintf(f, " %s:%u", tcpstate_name(s), rows[i].by_state[s]);
		}
		fputc('\n', f);
	}
	for (size_t k = 0; k < snap->nnetns; k++)
		if (snap->netns[k].err) {
			char name[96];

			escape_text(name, sizeof(name), snap->netns[k].name, strlen(snap->netns[k].name));
			fprintf(f, "%7s %-24s not entered: %s\n", "-", name, strerror(-snap->netns[k].err));
		}
	if (n >= 0)
		free(rows);
}

void out_by_cgroup(FILE *f, const struct snapshot *snap, const struct out_options *o)
{
	struct process_row *rows;
	long n = view_by_cgroup(snap, &o->view, &rows);

	fprintf(f, "Sockets by cgroup\n%7s %10s %10s  %-40s %s\n", "Sockets", "RX-B/s", "TX-B/s",
		"Cgroup", "States");
	for (long i = 0; i < n; i++) {
		char name[512] = "-";
		size_t k = (size_t)rows[i].proc;

		if (rows[i].proc >= 0 && k < snap->ncgroups)
			escape_text(name, sizeof(name), snap->cgroups[k].path, strlen(snap->cgroups[k].path));
		fprintf(f, "%7u %10.0f %10.0f  %-40s", rows[i].sockets, rows[i].rx_bps, rows[i].tx_bps, name);
		for (int j = 0; j < ST_COUNT; j++) {
			enum tcp_state s = tcpstate_display_order[j];

			if (rows[i].by_state[s])
				fprintf(f, " %s:%u", tcpstate_name(s), rows[i].by_state[s]);
		}
		fputc('\n', f);
	}
	if (n >= 0)
		free(rows);
}
