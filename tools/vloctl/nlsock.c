// SPDX-License-Identifier: GPL-2.0
/*
 * One netlink socket per bus and run, through libmnl. Replies are read
 * into a buffer larger than the kernel's dump skbs (up to 32 KiB), so
 * that no message is cut.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "nlsock.h"

#define NLSOCK_BUFSIZE	(1 << 16)

/* -1 with errno set; nothing to close then. */
int vlo_nlsock_open(struct vlo_nlsock *s, int bus)
{
	int ack = 1;

	memset(s, 0, sizeof(*s));
	s->buf = malloc(NLSOCK_BUFSIZE);
	if (!s->buf)
		return -1;
	s->sock = mnl_socket_open(bus);
	if (!s->sock || mnl_socket_bind(s->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		vlo_nlsock_close(s);
		return -1;
	}
	/* the kernel may tell more than an errno: keep its messages */
	mnl_socket_setsockopt(s->sock, NETLINK_EXT_ACK, &ack, sizeof(ack));
	s->portid = mnl_socket_get_portid(s->sock);
	s->seq = (unsigned int)time(NULL);
	return 0;
}

void vlo_nlsock_close(struct vlo_nlsock *s)
{
	int saved = errno;

	if (s->sock)
		mnl_socket_close(s->sock);
	free(s->buf);
	memset(s, 0, sizeof(*s));
	errno = saved;
}

/*
 * Start a request of this type (NLM_F_REQUEST and flags) with the next
 * sequence number; returns its family's header of hdrlen bytes, zeroed.
 */
void *vlo_nlsock_req(struct vlo_nlsock *s, struct vlo_nlreq *r, uint16_t type,
		     uint16_t flags, size_t hdrlen)
{
	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = type;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh->nlmsg_seq = ++s->seq;
	return mnl_nlmsg_put_extra_header(r->nlh, hdrlen);
}

/*
 * libmnl ends a run at the first message flagged NLM_F_DUMP_INTR (EINTR),
 * dropping the rest of the dump. Such a dump is still whole for what did
 * not change, as ip's are: where the caller asked, note the flag and let
 * the messages through.
 */
static void nlsock_take_intr(struct vlo_nlsock *s, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)s->buf;
	int rem = (int)len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			s->intr = true;
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
		}
	}
}

/* Send the request, then run cb on every reply until DONE, the ACK or an error. */
int vlo_nlsock_talk(struct vlo_nlsock *s, const struct vlo_nlreq *r,
		    mnl_cb_t cb, void *data)
{
	unsigned int seq = r->nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(s->sock, r->nlh, r->nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(s->sock, s->buf, NLSOCK_BUFSIZE);
		if (n < 0)
			return -1;
		if (s->take_intr)
			nlsock_take_intr(s, (size_t)n);
		ret = mnl_cb_run(s->buf, (size_t)n, seq, s->portid, cb, data);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -1 : 0;
}
