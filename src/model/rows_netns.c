/* rows_netns.c: the connections pane grouped by network namespace (B): per
 * namespace of an --all-netns sample, its sockets, their states and rates.
 * The rows live where the by-process form keeps its own (rows->procs):
 * the pane shows one form at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

const char *rows_netns_name(const struct model *m, const struct process_row *r)
{
	const struct snapshot *snap = m->cur->snap;

	return r->proc >= 0 && (size_t)r->proc < snap->nnetns ? snap->netns[r->proc].name : NULL;
}

static int name_cmp(const struct snapshot *snap, const struct process_row *x,
		    const struct process_row *y)
{
	const char *a = (size_t)x->proc < snap->nnetns ? snap->netns[x->proc].name : "";
	const char *b = (size_t)y->proc < snap->nnetns ? snap->netns[y->proc].name : "";
	int c = strcmp(a, b);

	return c ? c : CMP(x->proc, y->proc);
}

static int netns_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		     uint32_t b)
{
	return rows_procs_order(rows, p, a, b, name_cmp);
}

static void netns_release(struct pane_rows *rows)
{
	free(rows->procs.rows);
	free(rows->procs.order);
	rows->procs = (struct procs_data){ 0 };
}

static void netns_compute(struct pane_rows *rows, const struct model_params *p)
{
	struct procs_data *d = &rows->procs;
	long n = view_by_netns(rows->cur->snap, &p->view, &d->rows);

	if (n < 0 || !(d->order = malloc(((size_t)n + 1) * sizeof(*d->order)))) {
		if (n < 0)
			d->rows = NULL;
		netns_release(rows);
		model_rows_error(rows, "namespaces");
		return;
	}
	d->n = (size_t)n;
	for (size_t i = 0; i < d->n; i++)
		d->order[i] = (uint32_t)i;
	pane_sort_index(rows, p, d->order, d->n, netns_cmp);
}

static size_t netns_rows(const struct model *m)
{
	return m->procs.n;
}

/* A namespace by its inode, which stays across samples (its index does not). */
static uint64_t netns_row_key(const struct model *m, size_t row)
{
	const struct process_row *r = rows_procs_at(m, row);
	const struct snapshot *snap = m->cur->snap;

	return (size_t)r->proc < snap->nnetns ? snap->netns[r->proc].ino : 0;
}

/* Enter: that namespace's sockets, one row each. */
static unsigned netns_enter(struct model *m, size_t row)
{
	const char *name = rows_netns_name(m, rows_procs_at(m, row));
	char expr[160];

	/* a name with blanks or odd bytes cannot be one filter word: a glob of it */
	if (!name || strcspn(name, " \t\\'\"()") != strlen(name) || strlen(name) > 128) {
		model_message(m, false, "no namespace name to filter by");
		return REDO_REDRAW;
	}
	snprintf(expr, sizeof(expr), "netns %s", name);
	if (!model_set_filter(m, expr))
		return REDO_REDRAW;
	return action_toggle_by_netns(m) | REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_model pane_netns_model = {
	.title = "Connections by namespace",
	.short_title = "ByNetns",
	.default_sort = PROCS_COL_SOCKETS,
	.default_descending = true,
	.compute = netns_compute,
	.release = netns_release,
	.rows = netns_rows,
	.row_key = netns_row_key,
	.enter = netns_enter,
};
