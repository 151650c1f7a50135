/* draw.h: text within a width, whatever its bytes (draw.c). */
#ifndef NETTOP_UI_DRAW_H
#define NETTOP_UI_DRAW_H

enum { ALIGN_LEFT, ALIGN_RIGHT };
int draw_text(int y, int x, int width, const char *s, int align);
/* Draws s at *x, cut at column end; moves *x past it. */
void draw_run(int y, int *x, int end, const char *s);
void draw_fill(int y, int x, int width);
/* Display columns of s (invalid bytes count one each). */
int text_width(const char *s);
/* Cuts s to at most width columns (width >= 2), the cut marked as draw_text
 * marks it; s has room for 3 more bytes. */
void text_fit(char *s, size_t size, int width);

#endif
