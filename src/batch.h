/* batch.h: the printing loop (--batch, or stdout not a terminal). */
#ifndef NETTOP_BATCH_H
#define NETTOP_BATCH_H

#include "options.h"
#include "print/print.h"

/* Prints samples as options say. Returns the process exit status. */
int batch_run(const struct options *o, const struct filter *filter);
/* What the listing and the other sections (JSON, Prometheus) show, from the
 * command line: the screen's exporters use the same. */
void batch_outputs(const struct options *o, const struct filter *filter,
		   struct out_options *listing, struct out_options *sections);

#endif
