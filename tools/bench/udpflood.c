// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood: send 64-byte UDP datagrams to ADDR:PORT for SECONDS with
 * sendmmsg() and receive them on a socket bound to ADDR:PORT in the same
 * process, then print the packets sent per second of CLOCK_MONOTONIC.
 *
 * Usage: udpflood ADDR PORT SECONDS
 * Output: one line, "pps=N sent=N received=N seconds=S".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD	64
#define BATCH	64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_addr(const char *s, const char *port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char *end;
	long p = strtol(port, &end, 10);

	if (*end || p <= 0 || p > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)p);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)p);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static char sbuf[BATCH][PAYLOAD], rbuf[BATCH][PAYLOAD];
	struct mmsghdr smsg[BATCH], rmsg[BATCH];
	struct iovec siov[BATCH], riov[BATCH];
	unsigned long long sent = 0, received = 0;
	struct sockaddr_storage ss;
	double secs, t0, t1, deadline;
	socklen_t len;
	int tx, rx, n, i;

	if (argc != 4 || parse_addr(argv[1], argv[2], &ss, &len) ||
	    (secs = strtod(argv[3], NULL)) <= 0) {
		fprintf(stderr, "usage: udpflood ADDR PORT SECONDS\n");
		return 2;
	}

	rx = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	tx = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&ss, len) ||
	    connect(tx, (struct sockaddr *)&ss, len)) {
		perror("udpflood: socket");
		return 1;
	}

	memset(smsg, 0, sizeof(smsg));
	memset(rmsg, 0, sizeof(rmsg));
	for (i = 0; i < BATCH; i++) {
		memset(sbuf[i], 'v', PAYLOAD);
		siov[i].iov_base = sbuf[i];
		siov[i].iov_len = PAYLOAD;
		smsg[i].msg_hdr.msg_iov = &siov[i];
		smsg[i].msg_hdr.msg_iovlen = 1;
		riov[i].iov_base = rbuf[i];
		riov[i].iov_len = PAYLOAD;
		rmsg[i].msg_hdr.msg_iov = &riov[i];
		rmsg[i].msg_hdr.msg_iovlen = 1;
	}

	t0 = now();
	deadline = t0 + secs;
	do {
		n = sendmmsg(tx, smsg, BATCH, 0);
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN) {
			perror("udpflood: sendmmsg");
			return 1;
		}
		if (n > 0)
			sent += (unsigned int)n;
		/* drain what arrived, as a receiving application would */
		while ((n = recvmmsg(rx, rmsg, BATCH, MSG_DONTWAIT, NULL)) > 0)
			received += (unsigned int)n;
		t1 = now();
	} while (t1 < deadline);

	printf("pps=%.0f sent=%llu received=%llu seconds=%.6f\n",
	       sent / (t1 - t0), sent, received, t1 - t0);
	close(tx);
	close(rx);
	return 0;
}
