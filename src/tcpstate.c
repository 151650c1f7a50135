/* tcpstate.c: names, spellings and help for the 12 states, as one table. */
#include "tcpstate.h"

#include <stddef.h>
#include <strings.h>

#define KERNEL_TCP_NEW_SYN_RECV 12

static const struct {
	const char *name;
	const char *ss_name;
	const char *help;
} states[ST_COUNT] = {
	[ST_UNKNOWN] = { "UNKNOWN", "unknown",
		"The state of the socket is unknown." },
	[ST_ESTABLISHED] = { "ESTABLISHED", "estab",
		"An open connection: data flows both ways." },
	[ST_SYN_SENT] = { "SYN_SENT", "syn-sent",
		"connect() sent a SYN and waits for the peer's SYN-ACK." },
	[ST_SYN_RECV] = { "SYN_RECV", "syn-recv",
		"A SYN arrived and was answered; waiting for the final ACK (many = SYN flood?)." },
	[ST_FIN_WAIT1] = { "FIN_WAIT1", "fin-wait-1",
		"We closed and sent a FIN; waiting for its ACK or the peer's FIN." },
	[ST_FIN_WAIT2] = { "FIN_WAIT2", "fin-wait-2",
		"Our FIN was acked; waiting for the peer to close its side." },
	[ST_TIME_WAIT] = { "TIME_WAIT", "time-wait",
		"Closed; lingering (2*MSL) so stray packets of the old connection die out." },
	[ST_CLOSE] = { "CLOSE", "close",
		"Not connected (for UDP: an unconnected socket)." },
	[ST_CLOSE_WAIT] = { "CLOSE_WAIT", "close-wait",
		"The peer closed; the local program has not closed yet (many = an app leak)." },
	[ST_LAST_ACK] = { "LAST_ACK", "last-ack",
		"Peer closed, then we closed; waiting for the ACK of our FIN." },
	[ST_LISTEN] = { "LISTEN", "listen",
		"A server socket waiting for incoming connections." },
	[ST_CLOSING] = { "CLOSING", "closing",
		"Both sides closed at once; waiting for the ACK of our FIN." },
};

const enum tcp_state tcpstate_display_order[ST_COUNT] = {
	ST_ESTABLISHED, ST_SYN_SENT, ST_SYN_RECV, ST_FIN_WAIT1, ST_FIN_WAIT2,
	ST_TIME_WAIT, ST_CLOSE, ST_CLOSE_WAIT, ST_LAST_ACK, ST_LISTEN,
	ST_CLOSING, ST_UNKNOWN,
};

enum tcp_state tcpstate_from_kernel(unsigned kernel_state)
{
	if (kernel_state == KERNEL_TCP_NEW_SYN_RECV)
		return ST_SYN_RECV;
	if (kernel_state >= ST_ESTABLISHED && kernel_state <= ST_CLOSING)
		return (enum tcp_state)kernel_state;
	return ST_UNKNOWN;
}

uint32_t tcpstate_kernel_mask(uint32_t mask)
{
	uint32_t k = mask & ~ST_MASK(ST_UNKNOWN);

	if (mask & ST_MASK(ST_SYN_RECV))
		k |= 1u << KERNEL_TCP_NEW_SYN_RECV;
	/* bit 13 (TCP_BOUND_INACTIVE, Linux 6.5+) is left out: netstat and ss
	 * never list bound-only sockets, and asking makes the kernel walk its
	 * bind hash on every dump */
	if (mask & ST_MASK(ST_UNKNOWN))
		k |= ~0u << (KERNEL_TCP_NEW_SYN_RECV + 2);
	return k;
}

const char *tcpstate_name(enum tcp_state s)
{
	return (unsigned)s < ST_COUNT ? states[s].name : states[ST_UNKNOWN].name;
}

const char *tcpstate_ss_name(enum tcp_state s)
{
	return (unsigned)s < ST_COUNT ? states[s].ss_name : states[ST_UNKNOWN].ss_name;
}

const char *tcpstate_help(enum tcp_state s)
{
	return (unsigned)s < ST_COUNT ? states[s].help : states[ST_UNKNOWN].help;
}

/* Compares ignoring case and treating '-' and '_' alike, so that
 * "fin-wait-1", "FIN_WAIT1" and "fin_wait_1" all match. */
static int name_matches(const char *a, const char *b)
{
	for (;;) {
		while (*a == '-' || *a == '_')
			a++;
		while (*b == '-' || *b == '_')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if ((*a | 0x20) != (*b | 0x20))
			return 0;
		a++, b++;
	}
}

int tcpstate_parse(const char *name)
{
	static const struct { const char *alias; enum tcp_state s; } aliases[] = {
		{ "established", ST_ESTABLISHED }, { "unconn", ST_CLOSE },
		{ "closed", ST_CLOSE }, { "listening", ST_LISTEN },
	};
	for (int s = 0; s < ST_COUNT; s++)
		if (name_matches(name, states[s].name) || name_matches(name, states[s].ss_name))
			return s;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcasecmp(name, aliases[i].alias))
			return aliases[i].s;
	return -1;
}
