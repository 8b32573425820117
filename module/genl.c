// SPDX-License-Identifier: GPL-2.0
/*
 * The "vlo" generic netlink family (include/uapi/linux/vlo.h): the vlo
 * devices and addresses of the caller's namespace with their counters,
 * read-and-zero, and the per-device switches.
 *
 * Dumps resume from a cursor that is a stable key, (ifindex, family,
 * address), never a position, so an address present for the whole dump is
 * reported exactly once however others come and go; a dump that such
 * changes overlapped is flagged NLM_F_DUMP_INTR.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "compat.h"
#include "vlo.h"

/*
 * A policy per operation: the core refuses any attribute an operation does
 * not take ("Unsupported attribute"), so no handler checks for one.
 */
static const struct nla_policy vlo_dev_policy[VLO_A_MAX + 1] = {
	[VLO_A_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy vlo_get_addr_policy[VLO_A_MAX + 1] = {
	[VLO_A_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[VLO_A_TOTALS]		= { .type = NLA_FLAG },
};

static const struct nla_policy vlo_zero_addr_policy[VLO_A_MAX + 1] = {
	[VLO_A_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[VLO_A_ADDR]		= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
};

static struct genl_family vlo_genl_family;

/* Where a dump resumes, in netlink_callback.ctx. */
struct vlo_dump_ctx {
	u32 filter;		/* one device's ifindex, or 0: every device */
	u32 ifindex;		/* the device the dump is at */
	bool has_addr;		/* resume after @addr on that device */
	bool totals;		/* the four totals only (VLO_A_TOTALS) */
	bool checked;		/* the split it asks for was checked */
	u8 af;
	u8 addr[sizeof(struct in6_addr)];
};

static struct vlo_dump_ctx *vlo_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct vlo_dump_ctx) > sizeof(cb->ctx));
	return (struct vlo_dump_ctx *)cb->ctx;
}

static int vlo_put_counters(struct sk_buff *skb, const u64 *counters,
			    unsigned int n)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VLO_A_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	if (vlo_nl_put_counters(skb, counters, n)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vlo_put_plens(struct sk_buff *skb, const struct vlo_addr_info *ai)
{
	struct nlattr *nest;
	unsigned int plen;

	nest = nla_nest_start(skb, VLO_A_PREFIXLENS);
	if (!nest)
		return -EMSGSIZE;
	if (ai->af == AF_INET6) {
		if (nla_put_u8(skb, VLO_PREFIXLEN, ai->plens))
			goto cancel;
	} else {
		for (plen = 0; plen <= 32; plen++)
			if ((ai->plens & BIT_ULL(plen)) &&
			    nla_put_u8(skb, VLO_PREFIXLEN, plen))
				goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int vlo_fill_addr(struct sk_buff *skb, const struct net_device *dev,
			 const struct vlo_addr_info *ai, u32 portid, u32 seq,
			 int flags, u8 cmd, struct netlink_callback *cb,
			 bool totals)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vlo_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, VLO_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VLO_A_IFNAME, dev->name) ||
	    nla_put_u8(skb, VLO_A_FAMILY, ai->af) ||
	    nla_put(skb, VLO_A_ADDR, ai->af == AF_INET ? sizeof(ai->addr.v4) :
		    sizeof(ai->addr.v6), &ai->addr) ||
	    vlo_put_plens(skb, ai) ||
	    vlo_put_counters(skb, ai->counters, totals || !ai->split ?
			     VLO_NR_TOTALS : VLO_NR_COUNTERS)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static size_t vlo_dev_msg_size(void)
{
	return nlmsg_total_size(GENL_HDRLEN +
				nla_total_size(sizeof(u32)) +	/* IFINDEX */
				nla_total_size(IFNAMSIZ) +	/* IFNAME */
				nla_total_size(sizeof(u8)) +	/* ACCOUNTING */
				nla_total_size(sizeof(u8)) +	/* CARRY */
				nla_total_size(sizeof(u32)) +	/* NADDRS */
				nla_total_size(0) +		/* COUNTERS */
				VLO_NR_COUNTERS *
				nla_total_size_64bit(sizeof(u64)));
}

/* Reads the device's counters, or takes them away if @zero. */
static int vlo_fill_dev(struct sk_buff *skb, struct net_device *dev,
			u32 portid, u32 seq, int flags, u8 cmd, bool zero,
			struct netlink_callback *cb)
{
	struct vlo_priv *vp = netdev_priv(dev);
	u64 counters[VLO_NR_COUNTERS];
	void *hdr;

	/* what is taken away must fit: check for room before taking it */
	if (skb_tailroom(skb) < vlo_dev_msg_size())
		return -EMSGSIZE;
	hdr = genlmsg_put(skb, portid, seq, &vlo_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (zero)
		vlo_acct_zero(vp, counters);
	else
		vlo_acct_read(vp, counters);
	if (nla_put_u32(skb, VLO_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VLO_A_IFNAME, dev->name) ||
	    nla_put_u8(skb, VLO_A_ACCOUNTING, vlo_acct_get(vp)) ||
	    nla_put_u8(skb, VLO_A_CARRY, vlo_carry_get(vp)) ||
	    nla_put_u32(skb, VLO_A_NADDRS, READ_ONCE(vp->naddrs)) ||
	    vlo_put_counters(skb, counters, VLO_NR_COUNTERS)) {
		WARN_ON_ONCE(zero);
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The vlo device @ifindex of @net, held, or NULL with an extack message. */
static struct net_device *vlo_genl_dev(struct net *net, struct genl_info *info)
{
	struct net_device *dev;

	if (!info->attrs[VLO_A_IFINDEX]) {
		GENL_SET_ERR_MSG(info, "vlo: VLO_A_IFINDEX is required");
		return NULL;
	}
	dev = dev_get_by_index(net, nla_get_u32(info->attrs[VLO_A_IFINDEX]));
	if (dev && !netif_is_vlo(dev)) {
		dev_put(dev);
		dev = NULL;
	}
	if (!dev)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VLO_A_IFINDEX],
				    "vlo: no vlo device with this ifindex in this namespace");
	return dev;
}

static int vlo_genl_dev_doit(struct sk_buff *skb, struct genl_info *info,
			     bool zero)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	dev = vlo_genl_dev(genl_info_net(info), info);
	if (!dev)
		return -ENODEV;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	err = vlo_fill_dev(msg, dev, info->snd_portid, info->snd_seq, 0,
			   info->genlhdr->cmd, zero, NULL);
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	err = genlmsg_reply(msg, info);
out:
	dev_put(dev);
	return err;
}

static int vlo_genl_get_dev_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vlo_genl_dev_doit(skb, info, false);
}

static int vlo_genl_zero_dev_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vlo_genl_dev_doit(skb, info, true);
}

/* The address in VLO_A_ADDR, or an error with an extack message. */
static int vlo_genl_addr(struct genl_info *info, struct vlo_addr_info *ai)
{
	const struct nlattr *nla = info->attrs[VLO_A_ADDR];

	if (!nla) {
		GENL_SET_ERR_MSG(info, "vlo: VLO_A_ADDR is required");
		return -EINVAL;
	}
	memset(ai, 0, sizeof(*ai));
	switch (nla_len(nla)) {
	case sizeof(ai->addr.v4):
		ai->af = AF_INET;
		break;
	case sizeof(ai->addr.v6):
		ai->af = AF_INET6;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(info->extack, nla,
				    "vlo: VLO_A_ADDR must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	nla_memcpy(&ai->addr, nla, sizeof(ai->addr));
	return 0;
}

static int vlo_genl_zero_addr_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vlo_addr_info *ai;
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	ai = kmalloc(sizeof(*ai), GFP_KERNEL);
	if (!ai)
		return -ENOMEM;
	err = vlo_genl_addr(info, ai);
	if (err)
		goto out_free;
	dev = vlo_genl_dev(genl_info_net(info), info);
	if (!dev) {
		err = -ENODEV;
		goto out_free;
	}
	/* room first: what is taken away must reach the caller */
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_put;
	}
	err = vlo_acct_addr_get(netdev_priv(dev), ai, true);
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VLO_A_ADDR],
				    "vlo: the device does not hold this address");
		nlmsg_free(msg);
		goto out_put;
	}
	err = vlo_fill_addr(msg, dev, ai, info->snd_portid, info->snd_seq, 0,
			    VLO_CMD_ZERO_ADDR, NULL, false);
	if (WARN_ON_ONCE(err)) {
		nlmsg_free(msg);
		goto out_put;
	}
	err = genlmsg_reply(msg, info);
out_put:
	dev_put(dev);
out_free:
	kfree(ai);
	return err;
}

/*
 * The vlo devices of each namespace by ifindex, kept by the netdev
 * notifier below: a dump resumes at the next device in O(log n), however
 * many devices the namespace has, as rtnetlink's link dump does with the
 * core's own index (6.6 and later).
 */
struct vlo_genl_net {
	struct xarray devs;
};

static unsigned int vlo_genl_net_id __read_mostly;

static struct xarray *vlo_genl_devs(const struct net *net)
{
	return &((struct vlo_genl_net *)net_generic(net, vlo_genl_net_id))->devs;
}

/*
 * The vlo device of @net with the smallest ifindex at or above @from, only
 * @filter if not 0, or NULL. Called under RCU: a device leaves the index at
 * NETDEV_UNREGISTER, and the core waits for RCU readers before freeing it.
 */
static struct net_device *vlo_next_dev(struct net *net, u32 from, u32 filter)
{
	unsigned long ifindex = from;

	if (filter)
		return filter >= from ? xa_load(vlo_genl_devs(net), filter) : NULL;
	return xa_find(vlo_genl_devs(net), &ifindex, ULONG_MAX, XA_PRESENT);
}

/*
 * A dump of the split (VLO_CMD_GET_ADDR without VLO_A_TOTALS) that meets an
 * address without one fails rather than report zeros. The message names
 * the device where the kernel formats messages (6.2 and later).
 */
#define VLO_SPLIT_OFF_FMT \
	"per-address split is off on %s: ip link set %s type vlo addr-split on"
#define VLO_SPLIT_OFF_MSG \
	"per-address split is off on this device: ip link set DEV type vlo addr-split on"

static void vlo_split_off_msg(struct netlink_ext_ack *extack,
			      const struct net_device *dev)
{
#ifdef NL_SET_ERR_MSG_FMT_MOD
	NL_SET_ERR_MSG_FMT_MOD(extack, VLO_SPLIT_OFF_FMT, dev->name, dev->name);
#else
	NL_SET_ERR_MSG_MOD(extack, VLO_SPLIT_OFF_MSG);
#endif
}

/* The dump of the split would meet an address without one. */
static int vlo_genl_split_check(struct net *net, u32 filter,
				struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct vlo_priv *vp;
	int err = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!netif_is_vlo(dev) || (filter && dev->ifindex != filter))
			continue;
		vp = netdev_priv(dev);
		if (!vlo_acct_split_get(vp) && READ_ONCE(vp->naddrs)) {
			vlo_split_off_msg(extack, dev);
			err = -EOPNOTSUPP;
			break;
		}
	}
	rcu_read_unlock();
	return err;
}

/* Parses the dump request's filter into the cursor; no filter: all. */
static int vlo_genl_dump_start(struct netlink_callback *cb)
{
	struct vlo_dump_ctx *ctx = vlo_dump_ctx(cb);
	struct nlattr **tb = vlo_genl_dump_attrs(cb);

	memset(ctx, 0, sizeof(*ctx));
	/* the core refused what the operation's policy does not take */
	ctx->totals = nla_get_flag(tb[VLO_A_TOTALS]);
	if (!tb[VLO_A_IFINDEX])
		return 0;
	ctx->filter = nla_get_u32(tb[VLO_A_IFINDEX]);
	if (xa_load(vlo_genl_devs(sock_net(cb->skb->sk)), ctx->filter))
		return 0;
	NL_SET_ERR_MSG_ATTR(cb->extack, tb[VLO_A_IFINDEX],
			    "vlo: no vlo device with this ifindex in this namespace");
	return -ENODEV;
}

/*
 * A command has one policy for its do and its dump (6.1's struct genl_ops),
 * and VLO_CMD_ZERO_ADDR's do takes an address: its dump does not.
 */
static int vlo_genl_zero_addr_start(struct netlink_callback *cb)
{
	const struct nlattr *addr = vlo_genl_dump_attrs(cb)[VLO_A_ADDR];

	if (addr) {
		NL_SET_ERR_MSG_ATTR(cb->extack, addr,
				    "vlo: a dump takes no VLO_A_ADDR");
		return -EINVAL;
	}
	return vlo_genl_dump_start(cb);
}

struct vlo_addr_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct net_device *dev;
	u8 cmd;
};

static int vlo_dump_one_addr(const struct vlo_addr_info *ai, void *arg)
{
	struct vlo_addr_dump *d = arg;
	struct vlo_dump_ctx *ctx = vlo_dump_ctx(d->cb);
	int err;

	if (d->cmd == VLO_CMD_GET_ADDR && !ctx->totals && !ai->split) {
		vlo_split_off_msg(d->cb->extack, d->dev);
		return -EOPNOTSUPP;
	}
	err = vlo_fill_addr(d->skb, d->dev, ai,
			    NETLINK_CB(d->cb->skb).portid,
			    d->cb->nlh->nlmsg_seq, NLM_F_MULTI, d->cmd, d->cb,
			    ctx->totals);
	if (err)
		return err;
	ctx->has_addr = true;
	ctx->af = ai->af;
	memcpy(ctx->addr, &ai->addr, sizeof(ctx->addr));
	return 0;
}

static int vlo_genl_addr_dump(struct sk_buff *skb, struct netlink_callback *cb,
			      bool zero)
{
	struct vlo_dump_ctx *ctx = vlo_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	struct vlo_addr_dump d = {
		.skb = skb,
		.cb = cb,
		.cmd = zero ? VLO_CMD_ZERO_ADDR : VLO_CMD_GET_ADDR,
	};
	struct vlo_addr_info *after;
	int err = 0;

	/* in the first part, not in .start: 6.1 gives .start no extack */
	if (!ctx->checked && !zero && !ctx->totals) {
		err = vlo_genl_split_check(net, ctx->filter, cb->extack);
		if (err)
			return err;
	}
	ctx->checked = true;
	after = kzalloc(sizeof(*after), GFP_KERNEL);
	if (!after)
		return -ENOMEM;
	cb->seq = vlo_acct_gen(net);
	rcu_read_lock();
	while ((d.dev = vlo_next_dev(net, ctx->ifindex ?: 1, ctx->filter))) {
		if (d.dev->ifindex != ctx->ifindex) {
			ctx->ifindex = d.dev->ifindex;
			ctx->has_addr = false;
		}
		if (ctx->has_addr) {
			after->af = ctx->af;
			memcpy(&after->addr, ctx->addr, sizeof(ctx->addr));
		}
		err = vlo_acct_addr_walk(netdev_priv(d.dev),
					 ctx->has_addr ? after : NULL, zero,
					 vlo_dump_one_addr, &d);
		if (err)
			break;
		ctx->ifindex++;
		ctx->has_addr = false;
	}
	rcu_read_unlock();
	kfree(after);
	/* a full message ends this part; the next resumes at the cursor */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int vlo_genl_get_addr_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	return vlo_genl_addr_dump(skb, cb, false);
}

static int vlo_genl_zero_addr_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	return vlo_genl_addr_dump(skb, cb, true);
}

static int vlo_genl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb,
			     bool zero)
{
	struct vlo_dump_ctx *ctx = vlo_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	int err = 0;

	cb->seq = vlo_acct_gen(net);
	rcu_read_lock();
	while ((dev = vlo_next_dev(net, ctx->ifindex ?: 1, ctx->filter))) {
		err = vlo_fill_dev(skb, dev, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI,
				   zero ? VLO_CMD_ZERO_DEV : VLO_CMD_GET_DEV,
				   zero, cb);
		if (err)
			break;
		ctx->ifindex = dev->ifindex + 1;
	}
	rcu_read_unlock();
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int vlo_genl_get_dev_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	return vlo_genl_dev_dump(skb, cb, false);
}

static int vlo_genl_zero_dev_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	return vlo_genl_dev_dump(skb, cb, true);
}

/*
 * Reading is open to any user of the namespace, as "ip -s link" is. The
 * settings change over rtnetlink only: VLO_CMD_SET_DEV is gone (its number
 * stays reserved), and the core refuses it with EOPNOTSUPP.
 */
static const struct genl_ops vlo_genl_ops[] = {
	{
		.cmd	= VLO_CMD_GET_DEV,
		.doit	= vlo_genl_get_dev_doit,
		.start	= vlo_genl_dump_start,
		.dumpit	= vlo_genl_get_dev_dumpit,
		.policy	= vlo_dev_policy,
		.maxattr = VLO_A_MAX,
	},
	{
		.cmd	= VLO_CMD_ZERO_DEV,
		.doit	= vlo_genl_zero_dev_doit,
		.start	= vlo_genl_dump_start,
		.dumpit	= vlo_genl_zero_dev_dumpit,
		.policy	= vlo_dev_policy,
		.maxattr = VLO_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= VLO_CMD_GET_ADDR,
		.start	= vlo_genl_dump_start,
		.dumpit	= vlo_genl_get_addr_dumpit,
		.policy	= vlo_get_addr_policy,
		.maxattr = VLO_A_MAX,
	},
	{
		.cmd	= VLO_CMD_ZERO_ADDR,
		.doit	= vlo_genl_zero_addr_doit,
		.start	= vlo_genl_zero_addr_start,
		.dumpit	= vlo_genl_zero_addr_dumpit,
		.policy	= vlo_zero_addr_policy,
		.maxattr = VLO_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family vlo_genl_family __ro_after_init = {
	.name		= VLO_GENL_NAME,
	.version	= VLO_GENL_VERSION,
	/* the highest attribute the module knows (CTRL_ATTR_MAXATTR) */
	.maxattr	= VLO_A_MAX,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= vlo_genl_ops,
	.n_ops		= ARRAY_SIZE(vlo_genl_ops),
};

/*
 * A device joins its namespace's index when it is registered there (at
 * creation, or after a move, with the ifindex it has there) and leaves it
 * at NETDEV_UNREGISTER (also sent before a move). At creation a failure
 * refuses the device; after a move the core ignores it, and the device is
 * missing from dumps (not from requests naming its ifindex): say so.
 */
static int vlo_genl_netdev_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct xarray *devs;
	int err;

	if (!netif_is_vlo(dev))
		return NOTIFY_DONE;
	devs = vlo_genl_devs(dev_net(dev));
	switch (event) {
	case NETDEV_REGISTER:
		err = xa_err(xa_store(devs, dev->ifindex, dev, GFP_KERNEL));
		if (err)
			netdev_warn(dev, "not in the vlo genl dumps: error %d\n",
				    err);
		return notifier_from_errno(err);
	case NETDEV_UNREGISTER:
		xa_erase(devs, dev->ifindex);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vlo_genl_notifier = {
	.notifier_call	= vlo_genl_netdev_event,
};

static int __net_init vlo_genl_net_init(struct net *net)
{
	xa_init(vlo_genl_devs(net));
	return 0;
}

static void __net_exit vlo_genl_net_exit(struct net *net)
{
	/* the namespace's devices were deleted or moved out before this */
	WARN_ON_ONCE(!xa_empty(vlo_genl_devs(net)));
	xa_destroy(vlo_genl_devs(net));
}

static struct pernet_operations vlo_genl_net_ops = {
	.init	= vlo_genl_net_init,
	.exit	= vlo_genl_net_exit,
	.id	= &vlo_genl_net_id,
	.size	= sizeof(struct vlo_genl_net),
};

int __init vlo_genl_init(void)
{
	int err;

	err = register_pernet_subsys(&vlo_genl_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&vlo_genl_notifier);
	if (err)
		goto err_net;
	err = genl_register_family(&vlo_genl_family);
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	unregister_netdevice_notifier(&vlo_genl_notifier);
err_net:
	unregister_pernet_subsys(&vlo_genl_net_ops);
	return err;
}

void vlo_genl_exit(void)
{
	genl_unregister_family(&vlo_genl_family);
	unregister_netdevice_notifier(&vlo_genl_notifier);
	unregister_pernet_subsys(&vlo_genl_net_ops);
}
