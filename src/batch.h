/* batch.h: the printing loop (--batch, or stdout not a terminal). */
#ifndef NETTOP_BATCH_H
#define NETTOP_BATCH_H

#include "options.h"
#include "print/print.h"

/* Prints samples as options say. Returns the process exit status. */
int batch_run(const struct options *o, const struct filter *filter);
#endif
