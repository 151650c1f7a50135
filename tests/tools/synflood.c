/* synflood.c: sends bare TCP SYNs for nettop's SYN-flood tests and benchmark.
 *
 * Safety: the destination is always 127.0.0.1 and every source address is
 * checked to lie in 127.0.0.0/8; it refuses to run otherwise. Run it only in a
 * private network namespace whose only link is lo.
 *
 * Usage: synflood -p PORT -n COUNT [-s FIRST_SOURCE] [-k SOURCES]
 *                 [-H HEAVY_SOURCE -f FRACTION]
 *   Sends COUNT SYNs to 127.0.0.1:PORT from SOURCES consecutive addresses
 *   starting at FIRST_SOURCE (default 127.0.0.10, 200 sources), each from a
 *   fresh source port; with -H, FRACTION (0..1) of them come from HEAVY_SOURCE. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct pseudo {
	uint32_t src, dst;
	uint8_t zero, proto;
	uint16_t len;
};

static uint16_t checksum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static uint32_t partial_sum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	return sum;
}

static int in_loopback(struct in_addr a)
{
	return (ntohl(a.s_addr) >> 24) == 127;
}

static int send_syn(int fd, struct in_addr src, uint16_t sport, uint16_t dport, uint32_t seq)
{
	struct {
		struct iphdr ip;
		struct tcphdr tcp;
	} pkt;
	struct pseudo ph;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	memset(&pkt, 0, sizeof(pkt));
	pkt.ip.version = 4;
	pkt.ip.ihl = 5;
	pkt.ip.tot_len = htons(sizeof(pkt));
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_TCP;
	pkt.ip.saddr = src.s_addr;
	pkt.ip.daddr = to.sin_addr.s_addr;
	pkt.ip.check = checksum(&pkt.ip, sizeof(pkt.ip), 0);
	pkt.tcp.source = htons(sport);
	pkt.tcp.dest = htons(dport);
	pkt.tcp.seq = htonl(seq);
	pkt.tcp.doff = 5;
	pkt.tcp.syn = 1;
	pkt.tcp.window = htons(65535);
	ph = (struct pseudo){ pkt.ip.saddr, pkt.ip.daddr, 0, IPPROTO_TCP, htons(sizeof(pkt.tcp)) };
	pkt.tcp.check = checksum(&pkt.tcp, sizeof(pkt.tcp), partial_sum(&ph, sizeof(ph)));
	return (int)sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to));
}

int main(int argc, char **argv)
{
	struct in_addr first, heavy = { 0 };
	long count = 0, sources = 200, port = 0;
	double fraction = 0;
	int opt, fd;

	inet_pton(AF_INET, "127.0.0.10", &first);
	while ((opt = getopt(argc, argv, "p:n:s:k:H:f:")) != -1) {
		switch (opt) {
		case 'p': port = atol(optarg); break;
		case 'n': count = atol(optarg); break;
		case 'k': sources = atol(optarg); break;
		case 'f': fraction = atof(optarg); break;
		case 's':
		case 'H':
			if (inet_pton(AF_INET, optarg, opt == 's' ? &first : &heavy) != 1) {
				fprintf(stderr, "synflood: bad address '%s'\n", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: synflood -p PORT -n COUNT [-s FIRST] [-k SOURCES] [-H HEAVY -f FRACTION]\n");
			return 2;
		}
	}
	if (port <= 0 || port > 65535 || count <= 0 || sources <= 0 || fraction < 0 || fraction > 1 ||
	    !in_loopback(first) || (heavy.s_addr && !in_loopback(heavy)) ||
	    (ntohl(first.s_addr) & 0xffffff) + (unsigned long)sources > 0xffffff) {
		fprintf(stderr, "synflood: sources must stay inside 127.0.0.0/8; see the usage\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("synflood: raw socket");
		return 1;
	}
	for (long i = 0; i < count; i++) {
		struct in_addr src = first;
		/* a fixed stride spreads the heavy source's share evenly */
		int is_heavy = heavy.s_addr && (double)((i * 7919) % 10000) < fraction * 10000;

		if (is_heavy)
			src = heavy;
		else
			src.s_addr = htonl(ntohl(first.s_addr) + (uint32_t)(i % sources));
		if (send_syn(fd, src, (uint16_t)(1024 + (i * 13) % 64000), (uint16_t)port,
			     (uint32_t)(i * 2654435761u)) < 0 && errno != ENOBUFS) {
			perror("synflood: sendto");
			return 1;
		}
	}
	close(fd);
	return 0;
}
