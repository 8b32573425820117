// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting's address table. Each namespace keeps a hash table per
 * family that maps an address to the vlo devices holding it (struct
 * vlo_addr, with its counters), for the hooks (hooks.c) to look up; each
 * device keeps its own entries in a tree, in address order, for dumps. The
 * address notifiers fill the tables; the validators before them allocate
 * the entry and register the hooks, so that an address is counted from
 * its first packet or refused.
 */

#include <linux/inetdevice.h>
#include <linux/rbtree.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>

#include "acct.h"

static int vlo_table_insert(struct vlo_net *vn, struct vlo_addr *va)
{
	if (va->af == VLO_AF_IPV4)
		return rhltable_insert(&vn->addrs[va->af], &va->node, vlo_params4);
	return rhltable_insert(&vn->addrs[va->af], &va->node, vlo_params6);
}

static void vlo_table_remove(struct vlo_net *vn, struct vlo_addr *va)
{
	if (va->af == VLO_AF_IPV4)
		rhltable_remove(&vn->addrs[va->af], &va->node, vlo_params4);
	else
		rhltable_remove(&vn->addrs[va->af], &va->node, vlo_params6);
}

/* The order of a device's addresses, and of dumps: family, then address. */
static int vlo_key_cmp(u8 af, const void *key, const struct vlo_addr *va)
{
	if (af != va->af)
		return af < va->af ? -1 : 1;
	return memcmp(key, &va->key, vlo_key_len(af));
}

/*
 * @vp's first entry after (@af, @key), or its entry for exactly that key
 * if @exact; @key NULL: its first entry. Called with vn->lock held.
 */
struct vlo_addr *vlo_addr_seek(struct vlo_priv *vp, u8 af,
			       const void *key, bool exact)
{
	struct rb_node *n = vp->addrs.rb_node;
	struct vlo_addr *va, *next = NULL;
	int cmp;

	if (!key) {
		n = rb_first(&vp->addrs);
		return n ? rb_entry(n, struct vlo_addr, dev_node) : NULL;
	}
	while (n) {
		va = rb_entry(n, struct vlo_addr, dev_node);
		cmp = vlo_key_cmp(af, key, va);
		if (cmp < 0) {
			next = va;
			n = n->rb_left;
		} else if (cmp > 0) {
			n = n->rb_right;
		} else {
			if (exact)
				return va;
			n = rb_next(n);
			return n ? rb_entry(n, struct vlo_addr, dev_node) : NULL;
		}
	}
	return exact ? NULL : next;
}

static void vlo_addr_link(struct vlo_priv *vp, struct vlo_addr *va)
{
	struct rb_node **link = &vp->addrs.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (vlo_key_cmp(va->af, &va->key,
				rb_entry(parent, struct vlo_addr, dev_node)) < 0)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&va->dev_node, parent, link);
	rb_insert_color(&va->dev_node, &vp->addrs);
	vp->naddrs++;
}

static void vlo_addr_free(struct vlo_addr *va)
{
	if (va)
		free_percpu(va->split ? (void __percpu *)va->cells :
			    (void __percpu *)va->tot);
	kfree(va);
}

static bool vlo_addr_loop4(const struct vlo_addr *va)
{
	return va->af == VLO_AF_IPV4 && ipv4_is_loopback(va->key.v4);
}

static void vlo_addr_free_rcu(struct rcu_head *head)
{
	vlo_addr_free(container_of(head, struct vlo_addr, rcu));
}

/* Called with vn->lock held. */
static void vlo_addr_unlink(struct vlo_net *vn, struct vlo_addr *va)
{
	struct vlo_priv *vp = va->vp;

	vlo_table_remove(vn, va);
	rb_erase(&va->dev_node, &vp->addrs);
	vp->naddrs--;
	WRITE_ONCE(vn->naddrs[va->af], vn->naddrs[va->af] - 1);
	if (vlo_addr_loop4(va))
		WRITE_ONCE(vn->nloop4, vn->nloop4 - 1);
	vn->gen++;
	if (!vn->naddrs[VLO_AF_IPV4] && !vn->naddrs[VLO_AF_IPV6])
		vlo_hooks_update(vn);
	/* the hooks may still be walking the entry */
	call_rcu(&va->rcu, vlo_addr_free_rcu);
}

/*
 * The address notifiers cannot refuse an address, and IPv6's runs in atomic
 * context. The validators run before them, under RTNL and free to sleep:
 * they allocate the entry the notifier takes, or refuse the address, so an
 * address on a vlo device is counted or not there at all. Only addresses
 * the kernel adds without a validator (IPv6 autoconf) fall back to
 * GFP_ATOMIC here.
 */
static struct vlo_addr *vlo_addr_alloc(bool split, gfp_t gfp)
{
	struct vlo_addr *va = kzalloc(sizeof(*va), gfp);

	if (!va)
		return NULL;
	va->split = split;
	if (split)
		va->cells = alloc_percpu_gfp(struct vlo_acct_cpu,
					     gfp | __GFP_ZERO);
	else
		va->tot = alloc_percpu_gfp(struct vlo_acct_tot,
					   gfp | __GFP_ZERO);
	if (!va->tot) {
		kfree(va);
		return NULL;
	}
	return va;
}

/*
 * The validators also register the namespace's hooks, so that the first
 * packet of a new address is counted: they may sleep, the IPv6 address
 * notifier may not.
 */
static int vlo_addr_reserve(struct vlo_priv *vp,
			    struct netlink_ext_ack *extack)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	bool split = READ_ONCE(vp->addr_split);
	struct vlo_addr *va;
	int err;

	/* a spare left from before the split was switched does not fit */
	va = READ_ONCE(vp->spare);
	if (va && va->split != split && cmpxchg(&vp->spare, va, NULL) == va)
		vlo_addr_free(va);
	if (!READ_ONCE(vp->spare)) {
		va = vlo_addr_alloc(split, GFP_KERNEL);
		if (!va) {
			NL_SET_ERR_MSG(extack, "vlo: no memory to account the address");
			return notifier_from_errno(-ENOMEM);
		}
		if (cmpxchg(&vp->spare, NULL, va))
			vlo_addr_free(va);
	}
	if (READ_ONCE(vn->hooked))
		return NOTIFY_DONE;
	err = vlo_hooks_set(vn, true);
	if (err) {
		NL_SET_ERR_MSG(extack, "vlo: cannot register the accounting hooks");
		return notifier_from_errno(err);
	}
	/* in case the address fails after its validation */
	vlo_hooks_update(vn);
	return NOTIFY_DONE;
}

/* Gives an unused entry back as the spare, or frees it. */
static void vlo_addr_put_spare(struct vlo_priv *vp, struct vlo_addr *va)
{
	struct vlo_acct_tot __percpu *tot = va->tot;
	bool split = va->split;

	/* never counted: its counters are still zero */
	memset(va, 0, sizeof(*va));
	va->tot = tot;
	va->split = split;
	if (cmpxchg(&vp->spare, NULL, va))
		vlo_addr_free(va);
}

/* Adds @vp's entry for @key, or updates its prefix lengths if it has one. */
static void vlo_addr_add(struct vlo_priv *vp, enum vlo_af af, const void *key,
			 u64 plens)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr *va, *old;
	int err;

	va = xchg(&vp->spare, NULL);
	if (va && va->split != READ_ONCE(vp->addr_split)) {
		vlo_addr_free(va);
		va = NULL;
	}
	if (!va)
		va = vlo_addr_alloc(READ_ONCE(vp->addr_split), GFP_ATOMIC);
	if (!va) {
		err = -ENOMEM;
		goto fail;
	}
	va->vp = vp;
	va->af = af;
	va->plens = plens;
	memcpy(&va->key, key, vlo_key_len(af));

	spin_lock_bh(&vn->lock);
	/*
	 * A second prefix length for an IPv4 address, or a promoted secondary
	 * announced again with NETDEV_UP: the device holds the address once.
	 */
	old = vlo_addr_find(vp, af, key);
	if (old) {
		WRITE_ONCE(old->plens, plens);
		vn->gen++;
		spin_unlock_bh(&vn->lock);
		vlo_addr_put_spare(vp, va);
		return;
	}
	/* before the entry can be found: its first packet is looked up */
	if (vlo_addr_loop4(va))
		WRITE_ONCE(vn->nloop4, vn->nloop4 + 1);
	err = vlo_table_insert(vn, va);
	if (!err) {
		vlo_addr_link(vp, va);
		WRITE_ONCE(vn->naddrs[af], vn->naddrs[af] + 1);
		vn->gen++;
	} else if (vlo_addr_loop4(va)) {
		WRITE_ONCE(vn->nloop4, vn->nloop4 - 1);
	}
	spin_unlock_bh(&vn->lock);
	if (!err) {
		if (!READ_ONCE(vn->hooked))
			vlo_hooks_update(vn);
		return;
	}
	vlo_addr_put_spare(vp, va);
fail:
	netdev_err(vp->dev, "cannot account a new address (error %d): its traffic will not be counted\n",
		   err);
}

/* Drops @vp's entry for @key if @plens is 0, else keeps it with @plens. */
static void vlo_addr_del(struct vlo_priv *vp, enum vlo_af af, const void *key,
			 u64 plens)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr *va;

	spin_lock_bh(&vn->lock);
	va = vlo_addr_find(vp, af, key);
	if (va && plens) {
		WRITE_ONCE(va->plens, plens);
		vn->gen++;
	} else if (va) {
		vlo_addr_unlink(vn, va);
	}
	spin_unlock_bh(&vn->lock);
}

/*
 * One IPv4 address may be on a device several times, with different prefix
 * lengths (10.0.0.1/24 and 10.0.0.1/32). The device keeps its one entry
 * until the last of them goes: at NETDEV_UP the new in_ifaddr is on the
 * device's list, at NETDEV_DOWN the departing one is already off it, so the
 * list gives the prefix lengths the address is held with, none once it has
 * gone.
 */
static u64 vlo_inet_plens(const struct in_device *in_dev, __be32 addr)
{
	const struct in_ifaddr *ifa;
	u64 plens = 0;

	in_dev_for_each_ifa_rtnl(ifa, in_dev)
		if (ifa->ifa_local == addr)
			plens |= BIT_ULL(ifa->ifa_prefixlen);
	return plens;
}

static int vlo_inetaddr_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	const struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;
	u64 plens;

	if (!netif_is_vlo(dev))
		return NOTIFY_DONE;

	plens = vlo_inet_plens(ifa->ifa_dev, ifa->ifa_local);
	if (event == NETDEV_UP)
		vlo_addr_add(netdev_priv(dev), VLO_AF_IPV4, &ifa->ifa_local,
			     plens | BIT_ULL(ifa->ifa_prefixlen));
	else if (event == NETDEV_DOWN)
		vlo_addr_del(netdev_priv(dev), VLO_AF_IPV4, &ifa->ifa_local,
			     plens);
	return NOTIFY_DONE;
}

/*
 * The link-local address every vlo device gets (addrgen.c) is the device's
 * own, not a service's: like any link-local address, it is not accounted.
 */
static bool vlo_inet6_accounted(const struct in6_addr *addr)
{
	return !(ipv6_addr_type(addr) & IPV6_ADDR_LINKLOCAL);
}

static int vlo_inet6addr_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	const struct inet6_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->idev->dev;

	if (!netif_is_vlo(dev) || !vlo_inet6_accounted(&ifa->addr))
		return NOTIFY_DONE;

	if (event == NETDEV_UP)
		vlo_addr_add(netdev_priv(dev), VLO_AF_IPV6, &ifa->addr,
			     ifa->prefix_len);
	else if (event == NETDEV_DOWN)
		vlo_addr_del(netdev_priv(dev), VLO_AF_IPV6, &ifa->addr, 0);
	return NOTIFY_DONE;
}

static int vlo_inetaddr_validate(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	const struct in_validator_info *ivi = ptr;
	struct net_device *dev = ivi->ivi_dev->dev;

	if (event != NETDEV_UP || !netif_is_vlo(dev))
		return NOTIFY_DONE;
	return vlo_addr_reserve(netdev_priv(dev), ivi->extack);
}

static int vlo_inet6addr_validate(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	const struct in6_validator_info *i6vi = ptr;
	struct net_device *dev = i6vi->i6vi_dev->dev;

	if (event != NETDEV_UP || !netif_is_vlo(dev) ||
	    !vlo_inet6_accounted(&i6vi->i6vi_addr))
		return NOTIFY_DONE;
	return vlo_addr_reserve(netdev_priv(dev), i6vi->extack);
}

static struct notifier_block vlo_inetaddr_validator = {
	.notifier_call = vlo_inetaddr_validate,
};

static struct notifier_block vlo_inet6addr_validator = {
	.notifier_call = vlo_inet6addr_validate,
};

static struct notifier_block vlo_inetaddr_notifier = {
	.notifier_call = vlo_inetaddr_event,
};

static struct notifier_block vlo_inet6addr_notifier = {
	.notifier_call = vlo_inet6addr_event,
};

void vlo_acct_dev_init(struct vlo_priv *vp)
{
	vp->addrs = RB_ROOT;
	vp->naddrs = 0;
}

/* Called when the device is freed. */
void vlo_acct_dev_destroy(struct vlo_priv *vp)
{
	vlo_addr_free(vp->spare);
	vp->spare = NULL;
}

/*
 * The address notifiers have normally emptied the device's list by the time
 * it leaves its namespace (NETDEV_UNREGISTER, also sent on a move); drop
 * whatever is left so that no entry outlives the device.
 */
void vlo_acct_dev_flush(struct vlo_priv *vp)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct rb_node *n;

	spin_lock_bh(&vn->lock);
	while ((n = rb_first(&vp->addrs)))
		vlo_addr_unlink(vn, rb_entry(n, struct vlo_addr, dev_node));
	vn->gen++;
	spin_unlock_bh(&vn->lock);
}

/* The namespace's dump generation: changes whenever its addresses do. */
unsigned int vlo_acct_gen(const struct net *net)
{
	return READ_ONCE(((struct vlo_net *)net_generic(net, vlo_net_id))->gen);
}

/*
 * The per-address split (IFLA_VLO_ADDR_SPLIT) changes only while the
 * device holds no address: an address's block is sized for it when the
 * address comes, and past totals cannot be split after the fact. Called
 * under RTNL, as addresses are added (IPv6 autoconf aside, whose entry
 * then keeps the block it was given: every entry knows its own).
 */
int vlo_acct_split_check(const struct vlo_priv *vp, bool on,
			 struct netlink_ext_ack *extack)
{
	if (on == READ_ONCE(vp->addr_split) || !READ_ONCE(vp->naddrs))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "vlo: addr-split changes only while the device has no addresses");
	return -EBUSY;
}

void vlo_acct_split_set(struct vlo_priv *vp, bool on)
{
	WRITE_ONCE(vp->addr_split, on);
}

bool vlo_acct_split_get(const struct vlo_priv *vp)
{
	return READ_ONCE(vp->addr_split);
}

static int vlo_acct_device_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER && netif_is_vlo(dev))
		vlo_acct_dev_flush(netdev_priv(dev));
	return NOTIFY_DONE;
}

/* after devinet and addrconf, which drop the device's addresses first */
static struct notifier_block vlo_acct_netdev_notifier = {
	.notifier_call	= vlo_acct_device_event,
	.priority	= ADDRCONF_NOTIFY_PRIORITY - 1,
};

static void vlo_addr_free_one(void *ptr, void *arg)
{
	vlo_addr_free(ptr);
}

int vlo_addr_tables_init(struct vlo_net *vn)
{
	int err;

	err = rhltable_init(&vn->addrs[VLO_AF_IPV4], &vlo_params4);
	if (err)
		return err;
	err = rhltable_init(&vn->addrs[VLO_AF_IPV6], &vlo_params6);
	if (err)
		rhltable_destroy(&vn->addrs[VLO_AF_IPV4]);
	return err;
}

/*
 * The namespace's devices are gone and, between pre_exit and exit, the core
 * waited for an RCU grace period: no hook can still be reading the tables.
 */
void vlo_addr_tables_destroy(struct vlo_net *vn)
{
	rhltable_free_and_destroy(&vn->addrs[VLO_AF_IPV4], vlo_addr_free_one,
				  NULL);
	rhltable_free_and_destroy(&vn->addrs[VLO_AF_IPV6], vlo_addr_free_one,
				  NULL);
}

/*
 * The notifiers that feed the tables, in the order they are registered
 * (the pernet state is there already) and, backwards, unregistered.
 */
static const struct vlo_notifier {
	int (*reg)(struct notifier_block *nb);
	int (*unreg)(struct notifier_block *nb);
	struct notifier_block *nb;
} vlo_addr_notifiers[] = {
	{ register_netdevice_notifier, unregister_netdevice_notifier,
	  &vlo_acct_netdev_notifier },
	{ register_inetaddr_notifier, unregister_inetaddr_notifier,
	  &vlo_inetaddr_notifier },
	{ register_inet6addr_notifier, unregister_inet6addr_notifier,
	  &vlo_inet6addr_notifier },
	{ register_inetaddr_validator_notifier,
	  unregister_inetaddr_validator_notifier, &vlo_inetaddr_validator },
	{ register_inet6addr_validator_notifier,
	  unregister_inet6addr_validator_notifier, &vlo_inet6addr_validator },
};

/* Unregisters the first @n notifiers, last first. */
static void vlo_addr_notifiers_unwind(unsigned int n)
{
	while (n--)
		vlo_addr_notifiers[n].unreg(vlo_addr_notifiers[n].nb);
}

int vlo_addr_notifiers_init(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vlo_addr_notifiers); i++) {
		err = vlo_addr_notifiers[i].reg(vlo_addr_notifiers[i].nb);
		if (err) {
			vlo_addr_notifiers_unwind(i);
			return err;
		}
	}
	return 0;
}

void vlo_addr_notifiers_exit(void)
{
	vlo_addr_notifiers_unwind(ARRAY_SIZE(vlo_addr_notifiers));
}
