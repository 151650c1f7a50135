/* tcpstate.h: the 12 socket states netstat names, in the kernel's numbering. */
#ifndef NETTOP_TCPSTATE_H
#define NETTOP_TCPSTATE_H

#include <stdint.h>

/* Index 0 is UNKNOWN; 1..11 are the kernel's TCP_* values (linux/tcp_states.h). */
enum tcp_state {
	ST_UNKNOWN = 0,
	ST_ESTABLISHED = 1,
	ST_SYN_SENT,
	ST_SYN_RECV,
	ST_FIN_WAIT1,
	ST_FIN_WAIT2,
	ST_TIME_WAIT,
	ST_CLOSE,
	ST_CLOSE_WAIT,
	ST_LAST_ACK,
	ST_LISTEN,
	ST_CLOSING,
	ST_COUNT
};

#define ST_MASK(s) (1u << (s))
#define ST_MASK_ALL ((1u << ST_COUNT) - 1)

/* The kernel's TCP_NEW_SYN_RECV (a request socket) shows as SYN_RECV. */
enum tcp_state tcpstate_from_kernel(unsigned kernel_state);
/* Kernel state bits to ask sock_diag for, covering every state in mask. */
uint32_t tcpstate_kernel_mask(uint32_t mask);
const char *tcpstate_name(enum tcp_state s);	/* netstat: "SYN_RECV" */
const char *tcpstate_ss_name(enum tcp_state s);	/* ss: "syn-recv" */
const char *tcpstate_help(enum tcp_state s);	/* one line for the help screen */
/* Parses netstat or ss spelling in any case; returns -1 when unknown. */
int tcpstate_parse(const char *name);
/* The order the panes and the --states section list states in. */
extern const enum tcp_state tcpstate_display_order[ST_COUNT];

#endif
