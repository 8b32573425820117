# SPDX-License-Identifier: GPL-2.0
"""Turn the samples tools/bench/guest wrote into bench/results.json,
bench/report.md (also printed) and the gnuplot input for the scaling plot."""

import argparse
import json
import os
import statistics
import sys


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            # a sample whose tool failed twice has no value: leave it out
            if len(fields) != 5 or fields[3] in ("", "null"):
                print("bench: no value in sample %r, skipped" % line.strip(),
                      file=sys.stderr)
                continue
            fig, var, rnd, val, unit = fields
            rows.append({"figure": fig, "variant": var, "round": rnd,
                         "value": val, "unit": unit})
    return rows


def values(rows, fig, var, rnd=None):
    """Round 0 is a warm-up: only counted when asked for."""
    return [float(r["value"]) for r in rows
            if r["figure"] == fig and r["variant"] == var
            and (r["round"] == rnd if rnd is not None else r["round"] != "0")]


def spread(v):
    if not v:
        return "n/a"
    return "median %s, min %s, max %s, n=%d" % (
        fmt(statistics.median(v)), fmt(min(v)), fmt(max(v)), len(v))


def fmt(x):
    for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= div:
            return "%.3f%s" % (x / div, suf)
    return "%.3f" % x if x != int(x) else "%d" % x


PEER_KINDS = ("vlo", "nft", "ipset")


def peers_table(rows, cpus):
    """The peers section: vlo, an nft set with per-element counters and
    ipset hash:ip counters, side by side at each address count."""
    counts = sorted({int(r["figure"].rsplit("_", 1)[1]) for r in rows
                     if r["figure"].startswith("peers_udp_")})
    if not counts:
        return []

    def med(fig, var):
        v = values(rows, fig, var)
        return statistics.median(v) if v else None

    def cell(x, f="%.4f"):
        return "n/a" if x is None else f % x

    out = ["", "## Per-address counting: vlo and its peers", "",
           "Ratios: the same traffic to the first address, counted / not counted"
           " (base: the addresses on dummy devices, no rule). Memory: Slab +"
           " Percpu growth per address (two nft sets and two ipsets: in and"
           " out), %d vCPU; the per-CPU part scaled to 128 CPUs. Read: CPU"
           " time (/proc/stat ticks of 10 ms) of `vloctl -j addrs`, `nft -j"
           " list set` (the in set), `ipset list` (the in set); zero:"
           " `vloctl -j addrs -Z` (one dump); for ipset, each element"
           " of both sets re-added with -exist and zero counters; nft"
           " cannot zero a set's element counters (nft 1.0.6, Linux 6.1)." % cpus,
           "", "| addresses | figure | vlo | nft set | ipset |", "|---|---|---|---|---|"]
    def ratio_cell(fig, k):
        """The ratio of the medians, then each round's own (min-max)."""
        base, num = med(fig, "base"), med(fig, k)
        if not base or not num:
            return "n/a"
        pairs = []
        for rnd in sorted({r["round"] for r in rows if r["figure"] == fig} - {"0"}):
            pn, pd = values(rows, fig, k, rnd), values(rows, fig, "base", rnd)
            if pn and pd:
                pairs.append(pn[0] / pd[0])
        if not pairs:
            return "%.4f" % (num / base)
        return "%.4f (%.4f-%.4f, %d pairs)" % (num / base, min(pairs), max(pairs),
                                              len(pairs))

    for n in counts:
        for fig, what in (("peers_udp_%d" % n, "64-byte UDP / uncounted"),
                          ("peers_tcp_%d" % n, "TCP / uncounted")):
            out.append("| %d | %s | %s |" % (n, what, " | ".join(
                ratio_cell(fig, k) for k in PEER_KINDS)))
        mem = []
        for k in PEER_KINDS:
            sl = [float(x["value"]) for x in rows if x["figure"] == "peers_slab"
                  and x["variant"] == k and x["round"] == str(n)]
            pc = [float(x["value"]) for x in rows if x["figure"] == "peers_percpu"
                  and x["variant"] == k and x["round"] == str(n)]
            bs = [float(x["value"]) for x in rows if x["figure"] == "peers_slab"
                  and x["variant"] == "base" and x["round"] == str(n)]
            bp = [float(x["value"]) for x in rows if x["figure"] == "peers_percpu"
                  and x["variant"] == "base" and x["round"] == str(n)]
            if not sl or not pc or n < 1000:
                mem.append(None)
                continue
            slab, pcpu = sl[0] * 1024 / n, pc[0] * 1024 / n
            if k == "vlo" and bs and bp:
                # what the addresses took on vlo devices beyond dummy ones
                slab -= bs[0] * 1024 / n
                pcpu -= bp[0] * 1024 / n
            mem.append((slab, pcpu, slab + pcpu * 128 / cpus))
        out.append("| %d | memory per address: slab + percpu (bytes) | %s |" % (
            n, " | ".join("n/a" if m is None else "%.0f + %.0f" % m[:2] for m in mem)))
        out.append("| %d | memory per address at 128 CPUs (bytes) | %s |" % (
            n, " | ".join("n/a" if m is None else "%.0f" % m[2] for m in mem)))
        for fig, what in (("peers_read_%d" % n, "read all (CPU ms)"),
                          ("peers_zero_%d" % n, "zero all (CPU ms)")):
            r = [med(fig, k) for k in PEER_KINDS]
            out.append("| %d | %s | %s |" % (n, what, " | ".join(
                cell(x / 1000 if x is not None else None, "%.0f") for x in r)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--mode", required=True)
    ap.add_argument("--commit", required=True)
    ap.add_argument("--quick", default="0")
    ap.add_argument("--seconds", type=int, default=0)
    a = ap.parse_args()

    rows = load(a.samples)
    meta = {r["variant"]: r["value"] for r in rows if r["figure"] == "meta"}
    figures = []

    def ratio(name, goal_op, goal, fig, num, den, what):
        """A ratio of two medians; each pair's own ratio shows the spread."""
        n, d = values(rows, fig, num), values(rows, fig, den)
        if not n or not d:
            return
        value = statistics.median(n) / statistics.median(d)
        pairs = []
        for rnd in sorted({r["round"] for r in rows if r["figure"] == fig}):
            pn, pd = values(rows, fig, num, rnd), values(rows, fig, den, rnd)
            if pn and pd and rnd != "0":
                pairs.append(pn[0] / pd[0])
        met = value >= goal if goal_op == ">=" else value <= goal
        figures.append({
            "name": name, "value": round(value, 4), "goal": "%s %s" % (goal_op, goal),
            "met": met, "what": what,
            "pair_min": round(min(pairs), 4) if pairs else None,
            "pair_max": round(max(pairs), 4) if pairs else None,
            "numerator": spread(n), "denominator": spread(d),
        })

    def flatness(name, med, what, label):
        """Slowest / fastest of the medians in @med (goal >= 0.97)."""
        lo_k, hi_k = min(med, key=med.get), max(med, key=med.get)
        value = med[lo_k] / med[hi_k]
        figures.append({
            "name": name, "value": round(value, 4), "goal": ">= 0.97",
            "met": value >= 0.97, "what": what,
            "pair_min": None, "pair_max": None,
            "numerator": "slowest: %s: %s" % (label(lo_k), fmt(med[lo_k])),
            "denominator": "fastest: %s: %s" % (label(hi_k), fmt(med[hi_k])),
        })

    ratio("tcp_vlo_vs_lo", ">=", 0.99, "tcp", "vlo", "lo",
          "TCP stream to a vlo address (accounting on) / to 127.0.0.1")
    ratio("tcp_acct_on_off", ">=", 0.99, "tcp", "vlo", "vlo_off",
          "TCP stream to a vlo address, accounting on / off")
    ratio("tcp_lo_hooks", ">=", 0.995, "tcp", "lo", "lo_nomod",
          "TCP stream to 127.0.0.1, vlo loaded (64 devices, 10,000 addresses) / not loaded")
    ratio("tcp_lo_otherns", ">=", 0.999, "tcp", "lo_otherns", "lo_nomod",
          "TCP stream to 127.0.0.1, 10,000 vlo addresses in another namespace / vlo not loaded")
    ratio("tcp_lo_hooks_noaddr", ">=", 0.995, "tcp", "lo_noaddr", "lo_nomod",
          "TCP stream to 127.0.0.1, vlo loaded (64 devices, no address) / not loaded")
    ratio("tcp_carry_vs_lo", ">=", 0.995, "carry", "vlo", "lo_on",
          "TCP stream to a carry-on vlo address (crosses vlo0) / to 127.0.0.1")
    ratio("udp_carry_vs_lo", ">=", 0.99, "carry_udp", "vlo", "lo",
          "64-byte UDP datagrams/s to a carry-on vlo address / to 127.0.0.1")
    ratio("tcp6_carry_vs_lo", ">=", 0.995, "carry6", "vlo", "lo",
          "TCP stream to a carry-on vlo IPv6 address / to ::1")
    ratio("udp6_carry_vs_lo", ">=", 0.99, "carry_udp6", "vlo", "lo",
          "64-byte UDP datagrams/s to a carry-on vlo IPv6 address / to ::1")
    for fig, what in (("lo_cost", "TCP stream"), ("lo_cost_udp", "64-byte UDP")):
        ratio(fig + "_addr", ">=", 0.99, fig, "addr", "nomod",
              "%s to 127.0.0.1, one address on vlo0 (carry off) / vlo not loaded" % what)
        ratio(fig + "_carry", ">=", 0.99, fig, "carry", "nomod",
              "%s to 127.0.0.1, one address on vlo0, carry on / vlo not loaded" % what)
        ratio(fig + "_noaddr", ">=", 0.995, fig, "noaddr", "nomod",
              "%s to 127.0.0.1, vlo0 up without an address / vlo not loaded" % what)
        ratio(fig + "_nft", ">=", 0.0, fig, "nft", "nomod",
              "(reference) %s to 127.0.0.1, an empty nft inet table with input"
              " and output chains / no table" % what)
    ratio("tcp2_carry_vs_lo", ">=", 0.98, "carry_smp", "vlo", "lo",
          "two TCP streams at once, one per CPU, to a carry-on vlo address / to 127.0.0.1")
    ratio("tcp_lo_carry_hooks", ">=", 0.995, "carry", "lo_on", "lo_off",
          "TCP stream to 127.0.0.1, a carry device present / carry off")
    ratio("udp_acct_on_off", ">=", 0.97, "udp_acct", "on", "off",
          "64-byte UDP datagrams/s to a vlo address, accounting on / off")

    # Scaling: the median rate at each (devices, addresses) point.
    points = {}
    for r in rows:
        if r["figure"] == "scale":
            points.setdefault((int(r["variant"][1:]), int(r["round"])), []).append(
                float(r["value"]))
    if points:
        med = {k: statistics.median(v) for k, v in points.items()}
        flatness("udp_scaling", med,
                 "64-byte UDP rate, slowest / fastest of %d points (devices x addresses)"
                 % len(med),
                 lambda k: "%d devices, %d addresses" % k)
        devs = sorted({k[0] for k in med})
        addrs = sorted({k[1] for k in med})
        with open(os.path.join(a.outdir, "scaling.dat"), "w") as f:
            f.write("# addresses " + " ".join("devs%d" % d for d in devs) + "\n")
            for n in addrs:
                f.write("%d %s\n" % (n, " ".join(
                    "%.0f" % med[(d, n)] if (d, n) in med else "NaN" for d in devs)))
        with open(os.path.join(a.outdir, "scaling.gp"), "w") as f:
            f.write('set terminal png size 800,500\n')
            f.write('set output "%s"\n' % os.path.join(a.outdir, "scaling.png"))
            f.write('set title "vlo: 64-byte UDP to a vlo address (MODE=%s)"\n' % a.mode)
            f.write('set xlabel "vlo IPv4 addresses in the namespace"\n')
            f.write('set ylabel "datagrams per second"\n')
            f.write('set logscale x\nset grid\nset key bottom right\n')
            f.write('set yrange [0:*]\n')
            f.write("plot " + ", ".join(
                '"%s" using 1:%d with linespoints title "%d devices"' % (
                    os.path.join(a.outdir, "scaling.dat"), i + 2, d)
                for i, d in enumerate(devs)) + "\n")

    ratio("datapath_vlo_vs_veth", ">=", 1.0, "datapath", "vlo", "veth",
          "pktgen frames/s through vlo0's xmit-to-receive loop / through a veth pair")
    # Under -icount elapsed guest time jumps ahead whenever the guest idles;
    # the CPU time the guest spent is the instruction-counted figure.
    ctl = "ctl_cpu" if a.mode == "icount" else "ctl_elapsed"
    ratio("ctl_time_vlo_vs_dummy", "<=", 1.2, ctl, "vlo", "dummy",
          "%s time to create and delete 1,000 vlo / 1,000 dummy devices (ip -batch)"
          % ("CPU" if ctl == "ctl_cpu" else "elapsed"))
    ratio("ctl_mem_vlo_vs_dummy", "<=", 1.5, "ctl_mem", "vlo", "dummy",
          "kernel memory (Slab + Percpu) per vlo device / per dummy device")

    # Counting cost at 1, 1,000 and 100,000 addresses: slowest / fastest.
    flat = {int(v[1:]): values(rows, "flat", v)
            for v in {r["variant"] for r in rows if r["figure"] == "flat"}}
    flat = {k: statistics.median(v) for k, v in flat.items() if v}
    if len(flat) > 1:
        flatness("udp_flat_1_to_100k", flat,
                 "64-byte UDP to one vlo address, slowest / fastest of %s vlo addresses"
                 " present (100 devices)" % ", ".join("{:,}".format(k) for k in sorted(flat)),
                 lambda k: "%d addresses" % k)

    dump = "dump_cpu" if a.mode == "icount" else "dump"
    ratio("dump_vloctl_vs_ip", "<=", 1.0, dump, "vloctl", "ip",
          "%s time to dump 100,000 addresses: vloctl -j addrs (with counters) / ip -j addr show"
          % ("CPU" if dump == "dump_cpu" else "elapsed"))
    ratio("addr_mem_vlo_vs_dummy", "<=", 2.0, "addr_mem", "vlo", "dummy",
          "kernel memory per address (Slab + Percpu), on vlo / on dummy devices")

    # vlo's own memory per address: on vlo devices minus on dummy devices
    # (the kernel's in_ifaddr, fib entries and routes are in both).
    absolute = []
    mv, md = values(rows, "addr_mem", "vlo"), values(rows, "addr_mem", "dummy")
    if mv and md:
        absolute.append("addr_mem_vlo_own: %d bytes per address (Slab + Percpu grown by"
                        " 100,000 addresses: %d on vlo devices - %d on dummy devices)"
                        % (mv[0] - md[0], mv[0], md[0]))

    peers = peers_table(rows, int(meta.get("cpus", "1") or 1))

    met = sum(1 for f in figures if f["met"])
    lines = ["# vlo benchmark", "",
             "Mode: %s; kernel %s; %s vCPU; commit %s; %s run in %d s.%s" % (
                 a.mode, meta.get("kernel", "?"), meta.get("cpus", "?"), a.commit,
                 "quick" if a.quick == "1" else "full", a.seconds,
                 "" if a.mode != "icount" else
                 " Under -icount guest time counts executed instructions, so the"
                 " ratios measure CPU work (instructions), not cache effects."),
             "", "| figure | value | goal | met | per-pair min-max | what |",
             "|---|---|---|---|---|---|"]
    for f in figures:
        pr = ("%.4f-%.4f" % (f["pair_min"], f["pair_max"])
              if f["pair_min"] is not None else "")
        lines.append("| %s | %.4f | %s | %s | %s | %s |" % (
            f["name"], f["value"], f["goal"], "yes" if f["met"] else "**no**",
            pr, f["what"]))
    lines += ["", "Samples (numerator; denominator):", ""]
    for f in figures:
        lines.append("- %s: %s; %s" % (f["name"], f["numerator"], f["denominator"]))
    lines += ["", "```"]
    for f in figures:
        lines.append("%s: %.4f (%s)" % (f["name"], f["value"], f["goal"]))
    lines.append("%d of %d figures met their goal" % (met, len(figures)))
    lines += absolute
    lines.append("```")
    lines += peers
    report = "\n".join(lines) + "\n"
    with open(os.path.join(a.outdir, "report.md"), "w") as f:
        f.write(report)

    result = {"mode": a.mode, "kernel": meta.get("kernel"), "cpus": meta.get("cpus"),
              "commit": a.commit, "quick": a.quick == "1", "seconds": a.seconds,
              "figures": figures, "absolute": absolute, "met": met, "total": len(figures),
              "samples": [r for r in rows if r["figure"] != "meta"]}
    with open(os.path.join(a.outdir, "results.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")

    for f in figures:
        print("%s: %.4f (%s)" % (f["name"], f["value"], f["goal"]))
    print("%d of %d figures met their goal" % (met, len(figures)))
    for line in absolute:
        print(line)
    for line in peers:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
