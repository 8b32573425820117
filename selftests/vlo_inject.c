// SPDX-License-Identifier: GPL-2.0
/*
 * vlo_inject: send COUNT Ethernet frames of LEN bytes on a device through a
 * packet socket and count how many come back in on the same device.
 *
 *   vlo_inject [-b] [-t MS] IFNAME COUNT LEN
 *
 * Frames go to the device's own MAC (or to ff:ff:ff:ff:ff:ff with -b) with
 * the local experimental EtherType 0x88b5 and a per-run tag, so that only
 * our own frames are counted. Prints "sent N received M" and exits 0 when
 * the expected number came back (COUNT, or 0 with -b), 1 otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define INJECT_ETHERTYPE 0x88b5

static void usage(void)
{
	fprintf(stderr, "usage: vlo_inject [-b] [-t MS] IFNAME COUNT LEN\n");
	exit(2);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads every queued frame; returns how many carried our tag. */
static unsigned long drain(int fd, unsigned char *buf, size_t size,
			   uint32_t tag)
{
	unsigned long n = 0;
	ssize_t len;

	while ((len = recv(fd, buf, size, MSG_DONTWAIT)) >= 0) {
		if ((size_t)len >= ETH_HLEN + sizeof(tag) &&
		    !memcmp(buf + ETH_HLEN, &tag, sizeof(tag)))
			n++;
	}
	if (errno != EAGAIN && errno != EINTR) {
		perror("recv");
		exit(1);
	}
	return n;
}

int main(int argc, char **argv)
{
	static unsigned char frame[ETH_FRAME_LEN], buf[65536];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned long count, len, sent = 0, received = 0;
	int bcast = 0, timeout = 2000, one = 1, opt, fd;
	struct ifreq ifr = { 0 };
	uint32_t tag;
	long deadline;

	while ((opt = getopt(argc, argv, "bt:")) != -1) {
		switch (opt) {
		case 'b':
			bcast = 1;
			break;
		case 't':
			timeout = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 3)
		usage();
	count = strtoul(argv[optind + 1], NULL, 10);
	len = strtoul(argv[optind + 2], NULL, 10);
	if (len < ETH_ZLEN || len > ETH_FRAME_LEN)
		usage();

	fd = socket(AF_PACKET, SOCK_RAW, htons(INJECT_ETHERTYPE));
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[optind]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror(argv[optind]);
		return 1;
	}
	sll.sll_protocol = htons(INJECT_ETHERTYPE);
	sll.sll_ifindex = (int)if_nametoindex(argv[optind]);
	/* our own transmissions would otherwise be queued back to us too */
	if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		       sizeof(one)) < 0) {
		perror("PACKET_IGNORE_OUTGOING");
		return 1;
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("bind");
		return 1;
	}

	tag = (uint32_t)getpid() ^ (uint32_t)now_ms();
	memset(frame, 0, sizeof(frame));
	if (bcast)
		memset(frame, 0xff, ETH_ALEN);
	else
		memcpy(frame, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	memcpy(frame + ETH_ALEN, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	frame[12] = INJECT_ETHERTYPE >> 8;
	frame[13] = INJECT_ETHERTYPE & 0xff;
	memcpy(frame + ETH_HLEN, &tag, sizeof(tag));

	for (sent = 0; sent < count; sent++) {
		if (send(fd, frame, len, 0) != (ssize_t)len) {
			perror("send");
			return 1;
		}
		received += drain(fd, buf, sizeof(buf), tag);
	}
	deadline = now_ms() + timeout;
	while ((bcast || received < count) && now_ms() < deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 50) > 0)
			received += drain(fd, buf, sizeof(buf), tag);
	}
	printf("sent %lu received %lu\n", sent, received);
	return received == (bcast ? 0 : count) ? 0 : 1;
}
