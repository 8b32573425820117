/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VLO_H
#define _VLO_H

#include <linux/ethtool.h>
#include <linux/list.h>
#include <linux/in6.h>
#include <linux/rbtree.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/vlo.h>
#include <net/netlink.h>

#define VLO_DRV_NAME	"vlo"

/* Accounting counters: direction x family x protocol, packets and bytes. */
enum vlo_dir { VLO_DIR_IN, VLO_DIR_OUT, VLO_NR_DIRS };
enum vlo_af { VLO_AF_IPV4, VLO_AF_IPV6, VLO_NR_AFS };
enum vlo_proto {
	VLO_PROTO_ICMP,
	VLO_PROTO_TCP,
	VLO_PROTO_UDP,
	VLO_PROTO_OTHER,
	VLO_NR_PROTOS
};

#define VLO_NR_CELLS	(VLO_NR_DIRS * VLO_NR_AFS * VLO_NR_PROTOS)

/*
 * Counters as user space sees them (sysfs files, ethtool -S): first the
 * four totals, then packets and bytes of every cell in dir/af/proto order.
 */
#define VLO_NR_TOTALS	4
#define VLO_NR_COUNTERS	(VLO_NR_TOTALS + 2 * VLO_NR_CELLS)

struct vlo_acct_pb {
	u64_stats_t packets;
	u64_stats_t bytes;
};

/*
 * The device's own counters, and an address's if its device splits them
 * (IFLA_VLO_ADDR_SPLIT). A cell's packets and bytes side by side, and the
 * block aligned to a cache line: a count writes one line.
 */
struct vlo_acct_cpu {
	struct vlo_acct_pb cell[VLO_NR_CELLS];
	struct u64_stats_sync syncp;
} __aligned(64);

/*
 * An address's counters by default: its four totals, 32 bytes per CPU on
 * 64-bit (where the syncp is empty), aligned so as never to straddle two
 * cache lines.
 */
struct vlo_acct_tot {
	struct vlo_acct_pb dir[VLO_NR_DIRS];
	struct u64_stats_sync syncp;
} __aligned(32);

struct vlo_addr;
struct vlo_carry_dsts;
struct nf_hook_state;

/* An address of a device and its counters, as dumps report it. */
struct vlo_addr_info {
	u8 af;				/* AF_INET or AF_INET6 */
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;
	/* IPv4: a bit per prefix length held; IPv6: the prefix length */
	u64 plens;
	/* the address has the split; if not, counters has the totals only */
	bool split;
	u64 counters[VLO_NR_COUNTERS];
};

struct vlo_priv {
	struct net_device *dev;
	struct vlo_acct_cpu __percpu *acct;
	/* the device's entries in its netns' address tables, in key order */
	struct rb_root addrs;
	unsigned int naddrs;
	/* an entry allocated ahead by the address validators (addr.c) */
	struct vlo_addr *spare;
	/* the settings (IFLA_VLO_* and the sysfs files) */
	bool accounting;
	bool carry;
	/* its addresses count the split too, not only their totals */
	bool addr_split;
	/* the routes carried packets take, while carry is on and the device up */
	struct vlo_carry_dsts __rcu *carry_dsts;
	/* carry set the device's disable_policy, to be cleared when it goes */
	bool carry_nopolicy;
	/* the IPv6 settings vlo gives the device's next inet6_dev (addrgen.c) */
	u8 addr_gen_mode;
	s32 rtr_solicits;
	/* addr_gen_mode is the last inet6_dev's, not yet the first's default */
	bool idev_seen;
	/* an inet6_dev created now is not configured yet (addrgen.c) */
	bool idev_new;
};

/* dev.c */
extern const struct net_device_ops vlo_netdev_ops;

/* inline: the carry hook asks it of every packet to a local address */
static inline bool netif_is_vlo(const struct net_device *dev)
{
	return dev->netdev_ops == &vlo_netdev_ops;
}

int vlo_create(struct net *net);
int vlo_dev_module_init(void);
void vlo_dev_module_exit(void);

/* addrgen.c */
void vlo_addrgen_dev_init(struct vlo_priv *vp);
int vlo_addrgen_init(void);
void vlo_addrgen_exit(void);

/* acct.c, addr.c, counters.c: the accounting (acct.h, their own header) */
int vlo_acct_init(void);
void vlo_acct_exit(void);
void vlo_acct_dev_init(struct vlo_priv *vp);
void vlo_acct_dev_flush(struct vlo_priv *vp);
void vlo_acct_dev_destroy(struct vlo_priv *vp);
void vlo_acct_read(struct vlo_priv *vp, u64 *counters);
void vlo_acct_reset(struct vlo_priv *vp);
void vlo_acct_zero(struct vlo_priv *vp, u64 *counters);
int vlo_acct_addr_walk(struct vlo_priv *vp, const struct vlo_addr_info *after,
		       bool zero, int (*fn)(const struct vlo_addr_info *ai,
					    void *arg),
		       void *arg);
int vlo_acct_addr_get(struct vlo_priv *vp, struct vlo_addr_info *ai,
		      bool zero);
unsigned int vlo_acct_gen(const struct net *net);
void vlo_acct_set(struct vlo_priv *vp, bool on);
bool vlo_acct_get(const struct vlo_priv *vp);
int vlo_acct_split_check(const struct vlo_priv *vp, bool on,
			 struct netlink_ext_ack *extack);
void vlo_acct_split_set(struct vlo_priv *vp, bool on);
bool vlo_acct_split_get(const struct vlo_priv *vp);
int vlo_acct_carry_get(struct net *net);
void vlo_acct_carry_put(struct net *net);
extern const char vlo_acct_names[][ETH_GSTRING_LEN];

/* carry.c */
int vlo_carry_init(void);
void vlo_carry_exit(void);
int vlo_carry_set(struct vlo_priv *vp, bool on,
		  struct netlink_ext_ack *extack);
bool vlo_carry_get(const struct vlo_priv *vp);
int vlo_carry_open(struct vlo_priv *vp);
void vlo_carry_reroute(struct sk_buff *skb, const struct nf_hook_state *state);

/* netlink.c */
extern const struct nla_policy vlo_nl_policy[];
int vlo_nl_validate(struct nlattr *tb[], struct nlattr *data[],
		    struct netlink_ext_ack *extack);
int vlo_nl_newlink(struct net *src_net, struct net_device *dev,
		   struct nlattr *tb[], struct nlattr *data[],
		   struct netlink_ext_ack *extack);
int vlo_nl_changelink(struct net_device *dev, struct nlattr *tb[],
		      struct nlattr *data[], struct netlink_ext_ack *extack);
int vlo_nl_set(struct net_device *dev, u16 type, u8 val);
size_t vlo_nl_get_size(const struct net_device *dev);
int vlo_nl_fill_info(struct sk_buff *skb, const struct net_device *dev);
size_t vlo_nl_get_linkxstats_size(const struct net_device *dev, int attr);
int vlo_nl_put_counters(struct sk_buff *skb, const u64 *counters,
			unsigned int n);
int vlo_nl_fill_linkxstats(struct sk_buff *skb, const struct net_device *dev,
			   int *prividx, int attr);

/* genl.c */
int vlo_genl_init(void);
void vlo_genl_exit(void);

/* sysfs.c */
extern const struct attribute_group vlo_sysfs_group;
void vlo_sysfs_init(void);

/* ethtool.c */
extern const struct ethtool_ops vlo_ethtool_ops;

#endif /* _VLO_H */
