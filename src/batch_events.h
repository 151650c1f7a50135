/* batch_events.h: --batch's side of the destroy events: the listener, the
 * join to the samples, the counts each sample prints, and --events' lines. */
#ifndef NETTOP_BATCH_EVENTS_H
#define NETTOP_BATCH_EVENTS_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "print/print.h"
#include "snapshot.h"
#include "view/view.h"

struct batch_events;

/* Starts listening. print: each closed connection is written to out as a
 * JSON line as it comes. Only those view and families (SAMPLE_V4,
 * SAMPLE_V6) show are printed and counted; the filter sees a connection in
 * the last state a sample saw it in, with the process the join found. view
 * must outlive the listener. NULL with *err: -ENOMEM, or why the kernel
 * refused (events_strerror() says it for a user). */
struct batch_events *batch_events_open(FILE *out, bool print, const struct view_options *view,
				       unsigned families, int *err);
void batch_events_close(struct batch_events *b);
/* Why bursts may be lost (a receive buffer smaller than asked for: without
 * CAP_NET_ADMIN it stops at net.core.rmem_max), or NULL. */
const char *batch_events_note(const struct batch_events *b);
/* Takes the events waiting, joins, counts and prints them. -EIO when out
 * could not be written (a closed pipe), else 0. */
int batch_events_drain(struct batch_events *b);
/* Waits until deadline (CLOCK_MONOTONIC), draining events as they come,
 * or until *stop is set. -EIO as batch_events_drain. */
int batch_events_wait(struct batch_events *b, const struct timespec *deadline,
		      const volatile sig_atomic_t *stop);
/* Learns a new sample's sockets, and points o at the counts of the interval
 * it ends (o->closed, o->events_lost) for printing it. */
void batch_events_sample(struct batch_events *b, const struct snapshot *snap, struct out_options *o);
/* Starts the next interval's counts, once the sample was printed. */
void batch_events_next(struct batch_events *b);

#endif
