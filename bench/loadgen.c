/* loadgen.c: holds N loopback TCP connections (2N sockets) for the benchmark.
 * One process may hold 20000 descriptors here, so the connections are spread
 * over forked workers of PER_WORKER connections, each with its own listener
 * port and source address. Only 127.0.0.0/8 is ever used.
 *
 * Usage: loadgen CONNECTIONS   (prints READY when all are up; holds them
 * until stdin closes or SIGTERM) */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PER_WORKER 4500
#define BASE_PORT 20000

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Worker w: listener 127.0.0.1:BASE_PORT+w, clients from 127.1.(w/200).(w%200+1). */
static void worker(int w, int conns, int ready_fd)
{
	struct sockaddr_in srv = { .sin_family = AF_INET, .sin_port = htons(BASE_PORT + w) };
	struct sockaddr_in src = { .sin_family = AF_INET };
	int one = 1, lfd, accepted = 0;
	char addr[32];

	srv.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	snprintf(addr, sizeof(addr), "127.1.%d.%d", w / 200, w % 200 + 1);
	inet_pton(AF_INET, addr, &src.sin_addr);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&srv, sizeof(srv)) || listen(lfd, 4096))
		die("listen");
	for (int i = 0; i < conns; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);

		if (c < 0)
			die("socket");
		if (bind(c, (struct sockaddr *)&src, sizeof(src)) ||
		    connect(c, (struct sockaddr *)&srv, sizeof(srv)))
			die("connect");
		/* accept as we go so the backlog never overflows */
		while (accepted <= i) {
			if (accept(lfd, NULL, NULL) < 0)
				die("accept");
			accepted++;
		}
	}
	if (write(ready_fd, "r", 1) != 1)
		die("write");
	close(ready_fd);
	pause();
	exit(0);
}

int main(int argc, char **argv)
{
	long total = argc > 1 ? atol(argv[1]) : 100000;
	int nworkers = (int)((total + PER_WORKER - 1) / PER_WORKER);
	struct rlimit rl = { 20000, 20000 };
	pid_t *pids = calloc((size_t)nworkers, sizeof(*pids));
	int pfd[2];
	char c;

	if (total <= 0 || !pids || pipe(pfd))
		die("setup");
	setrlimit(RLIMIT_NOFILE, &rl);
	for (int w = 0; w < nworkers; w++) {
		int conns = (int)(total - (long)w * PER_WORKER < PER_WORKER ? total - (long)w * PER_WORKER : PER_WORKER);

		pids[w] = fork();
		if (pids[w] < 0)
			die("fork");
		if (pids[w] == 0) {
			close(pfd[0]);
			worker(w, conns, pfd[1]);
		}
	}
	close(pfd[1]);
	for (int w = 0; w < nworkers; w++)
		if (read(pfd[0], &c, 1) != 1) {
			fprintf(stderr, "loadgen: a worker failed\n");
			for (int k = 0; k < nworkers; k++)
				kill(pids[k], SIGTERM);
			return 1;
		}
	printf("READY %ld\n", total * 2);
	fflush(stdout);
	/* hold until stdin closes (the runner's exit) */
	while (read(0, &c, 1) > 0)
		;
	for (int w = 0; w < nworkers; w++)
		kill(pids[w], SIGTERM);
	for (int w = 0; w < nworkers; w++)
		waitpid(pids[w], NULL, 0);
	return 0;
}
