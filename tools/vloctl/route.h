/* SPDX-License-Identifier: GPL-2.0 */
/* One route, printed as ip route does (routes.c; route_get.c uses it too). */
#ifndef VLOCTL_ROUTE_H
#define VLOCTL_ROUTE_H

#include "vloctl.h"

void vlo_route_fields(const struct vlo_devs *d, const struct vlo_route *r,
		      const char *indent);
void vlo_route_print(const struct vlo_devs *d, const struct vlo_route *r);
bool vlo_link_has_addr(const struct vlo_link *l, int family, const void *addr);
const struct vlo_link *vlo_route_addr_owner(const struct vlo_devs *d,
					    int family, const void *addr,
					    bool vlo_only);

#endif /* VLOCTL_ROUTE_H */
