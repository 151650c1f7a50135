/* resolve.c: a mutex-protected cache and queue shared with the worker
 * threads. */
#include "resolve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "monotime.h"
#include "thread.h"
#include "view/hash.h"

#define CACHE_SIZE 4096			/* entries; a power of two */
#define QUEUE_MAX 64
#define TTL_OK_MS (10 * 60 * 1000)
#define TTL_FAIL_MS (30 * 1000)
#define TIMEOUT_MS 3000
/* Threads stuck in lookups that hang (a DNS server that never answers) would
 * hold up every name behind them: once every thread has been busy for
 * STUCK_MS, one more starts per name waiting, up to THREADS_MAX, so that at
 * most that many queries are ever out at once. */
#define THREADS_MAX 64
#define STUCK_MS 200

enum entry_state { ENTRY_EMPTY, ENTRY_QUEUED, ENTRY_RUNNING, ENTRY_OK, ENTRY_FAILED };

struct entry {
	uint8_t family;
	uint8_t addr[16];
	enum entry_state state;
	int64_t since_ms;		/* when it was queued, started or answered */
	char name[256];
};

struct resolver {
	pthread_mutex_t lock;
	pthread_cond_t work, idle;
	struct entry cache[CACHE_SIZE];
	struct entry *queue[QUEUE_MAX];	/* oldest first */
	size_t nqueue;
	unsigned running, nthreads, alive;
	int64_t last_start;		/* when a thread last took up a lookup */
	bool stopping;
};

static size_t slot_of(int family, const uint8_t *addr)
{
	return (size_t)hash_addr((uint64_t)family, addr) & (CACHE_SIZE - 1);
}

/* The entry of addr, or the slot it takes over (a direct-mapped cache: a
 * collision simply evicts, which costs one more lookup later). */
static struct entry *entry_of(struct resolver *r, int family, const uint8_t *addr, bool *hit)
{
	struct entry *e = &r->cache[slot_of(family, addr)];

	*hit = e->state != ENTRY_EMPTY && e->family == family && !memcmp(e->addr, addr, 16);
	return e;
}

static socklen_t sockaddr_of(const struct entry *e, struct sockaddr_storage *ss)
{
	if (e->family == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, e->addr, 4);
		return sizeof(*s4);
	}
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	s6->sin6_family = AF_INET6;
	memcpy(&s6->sin6_addr, e->addr, 16);
	return sizeof(*s6);
}

static void *worker(void *arg)
{
	struct resolver *r = arg;

	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		struct entry *e, job;
		char host[NI_MAXHOST];
		struct sockaddr_storage ss = { 0 };
		socklen_t sl;
		int rc;

		if (!r->nqueue) {
			pthread_cond_wait(&r->work, &r->lock);
			continue;
		}
		e = r->queue[0];
		memmove(r->queue, r->queue + 1, --r->nqueue * sizeof(r->queue[0]));
		e->state = ENTRY_RUNNING;
		e->since_ms = monotime_ms();
		job = *e;
		r->running++;
		r->last_start = e->since_ms;
		pthread_mutex_unlock(&r->lock);
		sl = sockaddr_of(&job, &ss);
		rc = getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), NULL, 0, NI_NAMEREQD);
		pthread_mutex_lock(&r->lock);
		r->running--;
		/* the slot may have been taken by another address meanwhile */
		if (e->state == ENTRY_RUNNING && e->family == job.family && !memcmp(e->addr, job.addr, 16)) {
			e->state = rc == 0 ? ENTRY_OK : ENTRY_FAILED;
			e->since_ms = monotime_ms();
			if (rc == 0)
				snprintf(e->name, sizeof(e->name), "%.*s", (int)sizeof(e->name) - 1, host);
		}
		if (!r->nqueue && !r->running)
			pthread_cond_broadcast(&r->idle);
	}
	r->alive--;
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Called with the lock held (or before any thread runs). Detached: one
 * stuck in getnameinfo() must never hold up the exit. */
static void thread_start(struct resolver *r)
{
	if (thread_create_detached(worker, r) == 0)
		r->alive++;
}

struct resolver *resolver_new(unsigned threads)
{
	struct resolver *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->work, NULL);
	cond_init_monotonic(&r->idle);
	for (unsigned i = 0; i < threads && i < THREADS_MAX; i++)
		thread_start(r);
	r->nthreads = threads;
	return r;
}

void resolver_free(struct resolver *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	r->nqueue = 0;
	pthread_cond_broadcast(&r->work);
	pthread_mutex_unlock(&r->lock);
	/* the threads are detached; one stuck in getnameinfo() must not hold up
	 * the exit, so the resolver is left to the process's end when any is */
	for (int i = 0; i < 100; i++) {
		bool gone;

		pthread_mutex_lock(&r->lock);
		gone = r->alive == 0;
		pthread_mutex_unlock(&r->lock);
		if (gone) {
			free(r);
			return;
		}
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
}

void resolver_begin_frame(struct resolver *r)
{
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < r->nqueue; i++)
		r->queue[i]->state = ENTRY_EMPTY;
	r->nqueue = 0;
	pthread_mutex_unlock(&r->lock);
}

bool resolver_host(struct resolver *r, int family, const uint8_t addr[16], char *name, size_t len)
{
	uint8_t key[16] = { 0 };
	int64_t now = monotime_ms();
	bool hit, known = false;
	struct entry *e;

	memcpy(key, addr, family == 4 ? 4 : 16);
	pthread_mutex_lock(&r->lock);
	e = entry_of(r, family, key, &hit);
	if (hit && e->state == ENTRY_OK && now - e->since_ms < TTL_OK_MS) {
		snprintf(name, len, "%s", e->name);
		known = true;
	} else if (hit && (e->state == ENTRY_QUEUED ||
			   (e->state == ENTRY_RUNNING && now - e->since_ms < TIMEOUT_MS) ||
			   (e->state == ENTRY_FAILED && now - e->since_ms < TTL_FAIL_MS))) {
		/* waiting, or failed recently: the number shows meanwhile */
	} else if (e->state == ENTRY_QUEUED || (e->state != ENTRY_RUNNING && r->nqueue < QUEUE_MAX)) {
		/* a queued slot of another address is already in the queue: the
		 * newer address simply takes its turn */
		if (e->state != ENTRY_QUEUED)
			r->queue[r->nqueue++] = e;
		e->family = (uint8_t)family;
		memcpy(e->addr, key, 16);
		e->state = ENTRY_QUEUED;
		e->since_ms = now;
		pthread_cond_signal(&r->work);
	}
	/* every thread stuck: a thread for each name waiting */
	if (r->nqueue && r->running >= r->alive && now - r->last_start >= STUCK_MS)
		for (size_t i = 0; i < r->nqueue && r->alive < THREADS_MAX; i++)
			thread_start(r);
	pthread_mutex_unlock(&r->lock);
	return known;
}

bool resolver_cached(struct resolver *r, int family, const uint8_t addr[16], char *name, size_t len)
{
	uint8_t key[16] = { 0 };
	bool hit, known;
	struct entry *e;

	memcpy(key, addr, family == 4 ? 4 : 16);
	pthread_mutex_lock(&r->lock);
	e = entry_of(r, family, key, &hit);
	known = hit && e->state == ENTRY_OK && monotime_ms() - e->since_ms < TTL_OK_MS;
	if (known)
		snprintf(name, len, "%s", e->name);
	pthread_mutex_unlock(&r->lock);
	return known;
}

void resolver_wait(struct resolver *r, unsigned timeout_ms)
{
	struct timespec until = monotime_after_ms(timeout_ms);

	pthread_mutex_lock(&r->lock);
	while ((r->nqueue || r->running) &&
	       pthread_cond_timedwait(&r->idle, &r->lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&r->lock);
}

const char *resolver_service(uint16_t port, bool udp)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static char *names[2][65536];
	static bool loaded;

	pthread_mutex_lock(&lock);
	if (!loaded) {
		struct servent *se;

		setservent(1);
		while ((se = getservent()))
			for (int u = 0; u < 2; u++)
				if (!strcmp(se->s_proto, u ? "udp" : "tcp") &&
				    !names[u][ntohs((uint16_t)se->s_port)])
					names[u][ntohs((uint16_t)se->s_port)] = strdup(se->s_name);
		endservent();
		loaded = true;
	}
	pthread_mutex_unlock(&lock);
	return names[udp][port];
}
