/* ui.c: placeholder until the interactive screen lands: print one sample. */
#include "ui.h"

#include "../batch.h"

int ui_run(const struct options *o, const struct filter *initial)
{
	return batch_run(o, initial);
}
