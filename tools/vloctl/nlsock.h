/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one netlink socket layer under rtnetlink (nl.c) and the "vlo" generic
 * netlink family (genl.c): open and close, build a request, send it and
 * run a callback on each reply until DONE, the ACK or an error.
 */
#ifndef VLOCTL_NLSOCK_H
#define VLOCTL_NLSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct vlo_nlsock {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	char *buf;		/* the replies */
	bool take_intr;		/* let a dump flagged NLM_F_DUMP_INTR through */
	bool intr;		/* ... and one was */
};

/* A request: a header, its family's header and a few attributes. */
struct vlo_nlreq {
	struct nlmsghdr *nlh;
	_Alignas(struct nlmsghdr) char buf[1024];
};

int vlo_nlsock_open(struct vlo_nlsock *s, int bus);
void vlo_nlsock_close(struct vlo_nlsock *s);
void *vlo_nlsock_req(struct vlo_nlsock *s, struct vlo_nlreq *r, uint16_t type,
		     uint16_t flags, size_t hdrlen);
int vlo_nlsock_talk(struct vlo_nlsock *s, const struct vlo_nlreq *r,
		    mnl_cb_t cb, void *data);

#endif /* VLOCTL_NLSOCK_H */
