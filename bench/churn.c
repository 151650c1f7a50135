/* churn.c: opens and closes loopback TCP connections at a steady rate, for
 * the destroy-event benchmark (bench/events.sh). The server closes first, so
 * that the TIME_WAIT sockets are its own and the client's ports come free at
 * once. Only 127.0.0.1 is used.
 *
 * Usage: churn RATE SECONDS PORT   (prints the connections made and the
 * seconds they took) */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int lfd;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void *serve(void *arg)
{
	(void)arg;
	for (;;) {
		int c = accept(lfd, NULL, NULL);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;
		}
		close(c);
	}
}

static int one_connection(const struct sockaddr_in *srv)
{
	char b[16];
	int c = socket(AF_INET, SOCK_STREAM, 0);

	if (c < 0)
		return -1;
	if (connect(c, (const struct sockaddr *)srv, sizeof(*srv)) < 0) {
		close(c);
		return -1;
	}
	while (read(c, b, sizeof(b)) > 0)
		;
	close(c);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in srv = { .sin_family = AF_INET };
	double rate, secs, start, t;
	long made = 0, failed = 0;
	int yes = 1;
	pthread_t th;

	if (argc != 4)
		return fprintf(stderr, "usage: churn RATE SECONDS PORT\n"), 2;
	rate = atof(argv[1]);
	secs = atof(argv[2]);
	srv.sin_port = htons((uint16_t)atoi(argv[3]));
	srv.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
	if (bind(lfd, (struct sockaddr *)&srv, sizeof(srv)) < 0 || listen(lfd, 4096) < 0)
		return perror("churn: listen"), 1;
	pthread_create(&th, NULL, serve, NULL);
	start = now();
	while ((t = now() - start) < secs) {
		if (made + failed >= (long)(rate * t)) {
			struct timespec d = { 0, 200000 };

			nanosleep(&d, NULL);
			continue;
		}
		if (one_connection(&srv) < 0)
			failed++;
		else
			made++;
	}
	printf("%ld %.3f %ld\n", made, now() - start, failed);
	return 0;
}
