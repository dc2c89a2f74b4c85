// SPDX-License-Identifier: GPL-2.0
/*
 * dns_front: eBPF in front of dns.lua. It hands dns.lua only the packets
 * that can concern it (IPv4 UDP datagrams to or from port 53, not
 * fragments) and passes everything else itself, without entering Lua:
 * on a router where DNS is a small share of the traffic, the other packets
 * cost what an XDP_PASS program costs.
 *
 *	xdplua load examples/dns/dns.lua
 *	xdplua attach dns eth0 --prog dns_front.bpf.o
 *	xdplua attach dns eth1 --prog dns_front.bpf.o
 *
 * (the package installs the object as /usr/lib/xdplua/dns_front.bpf.o).
 * xdplua sets xdplua_script_id to the id of script "dns" before loading the
 * program. dns.lua checks every header again: this filter only needs to
 * let through everything dns.lua would answer or learn from.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "xdplua.bpf.h"

#define DNS_PORT	53
#define IP_MF_OFFSET	0x3fff	/* more fragments, fragment offset */

const volatile __u32 xdplua_script_id;

/* Whether the packet is an IPv4 UDP datagram, not a fragment, to or from
 * port 53. Every header is checked against data_end before it is read. */
static __always_inline int is_dns(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5 ||
	    ip->protocol != IPPROTO_UDP ||
	    (ip->frag_off & bpf_htons(IP_MF_OFFSET)))
		return 0;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > end)
		return 0;
	return udp->dest == bpf_htons(DNS_PORT) ||
	       udp->source == bpf_htons(DNS_PORT);
}

SEC("xdp")
int dns_front(struct xdp_md *ctx)
{
	if (!is_dns(ctx))
		return XDP_PASS;
	/* no packet pointer kept across the call: no fence needed */
	return __xdplua_call(ctx, xdplua_script_id, 0);
}

char LICENSE[] SEC("license") = "GPL";
