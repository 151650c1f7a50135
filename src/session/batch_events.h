/* batch_events.h: --batch's side of the destroy events: the listener, the
 * join to the samples, the counts each sample prints, and --events' lines. */
#ifndef NETTOP_BATCH_EVENTS_H
#define NETTOP_BATCH_EVENTS_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "../print/print.h"
#include "../options.h"
#include "../snapshot.h"
#include "../view/view.h"

struct batch_events;

/* The destroy events of a live --batch run: with JSON, exports, --record
 * and --events. *b is NULL when none are needed (nor with --count 1 without
 * --events: one sample has no interval to count in), or when the kernel
 * refused (shown->events_note says why, and --events prints it as a JSON
 * line).
 * Only what shown's view and the options' families show is printed and
 * counted; the filter sees a connection in the last state a sample saw it
 * in, with the process the join found. Returns 0, or the exit status 1
 * when --events alone has nothing else to do. shown must outlive *b. */
int batch_events_start(const struct options *o, struct batch_events **b, struct out_options *shown);
void batch_events_close(struct batch_events *b);
/* Takes the events waiting, joins, counts and prints them. -EIO when out
 * could not be written (a closed pipe), else 0. */
int batch_events_drain(struct batch_events *b);
/* Waits until deadline (CLOCK_MONOTONIC), draining events as they come,
 * or until *stop is set. -EIO as batch_events_drain. */
int batch_events_wait(struct batch_events *b, const struct timespec *deadline,
		      const volatile sig_atomic_t *stop);
/* Learns a new sample's sockets, and points o at the counts of the interval
 * it ends (o->closed, o->events_lost) for printing it. With --record, the
 * interval's events go into snap (snap->closed) for its frame. */
void batch_events_sample(struct batch_events *b, struct snapshot *snap, struct out_options *o);
/* --replay --json: the same counts of the recording's events, no listener;
 * NULL without --json, or when out of memory (the samples print without). */
struct batch_events *batch_events_replayed(const struct options *o, struct out_options *shown);
/* A replayed sample: its recorded events joined and counted as the live
 * run did, and o set as batch_events_sample() sets it (o->closed NULL for
 * a sample recorded without events). */
void batch_events_recorded(struct batch_events *b, struct snapshot *snap, struct out_options *o);
/* Starts the next interval's counts, once the sample was printed. */
void batch_events_next(struct batch_events *b);

#endif
