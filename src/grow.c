/* grow.c: the one growth rule for arrays that grow as items come. A rule
 * spelled in each caller went wrong in one of them: cap + cap / 2 is cap
 * again at 1, and the next item was written past the end. */
#include "grow.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

size_t grow_capacity(size_t cap, size_t need, size_t elem, size_t first)
{
	size_t ncap;

	if (!cap)
		ncap = first ? first : 1;
	else
		ncap = cap > SIZE_MAX - cap / 2 - 1 ? SIZE_MAX : cap + cap / 2 + 1;
	if (ncap < need)
		ncap = need;
	/* past what memory can count, only what is needed */
	if (elem && ncap > SIZE_MAX / elem)
		ncap = need;
	return !elem || ncap > SIZE_MAX / elem ? 0 : ncap;
}

int grow_array(void **arr, size_t *cap, size_t need, size_t elem, size_t first)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	if (!(ncap = grow_capacity(*cap, need, elem, first)) || !(p = realloc(*arr, ncap * elem)))
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}
