#!/usr/bin/python3
"""Draw the benchmark tables (Markdown, as bench/callbacks.sh and the
native benchmark write them) as PNG bar charts: one chart per table, ns per
packet on a log scale, each bar labelled with its ratio to eBPF's drop.
A table whose first column is "case" (bench/dns.sh) is drawn as answered
queries per second, each bar labelled with its share of the offered ones.

    bench/plot.py build/bench/callbacks.md [...]   -> build/bench/callbacks.png ...

Debian's python3 (/usr/bin/python3), which python3-matplotlib is for.
"""
import os
import sys
import textwrap


def read_table(path):
    rows, title, dns = [], [], False
    for line in open(path):
        line = line.strip()
        if not line.startswith("|"):
            if line and not rows:
                title.append(line)
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == "case":
            dns = True
        if cells[0] in ("program", "case", "---") or cells[0].startswith("-"):
            continue
        try:
            if dns:     # case, answered q/s, % of offered, ...
                rows.append((cells[0], cells[0], float(cells[1]), cells[2]))
            else:
                rows.append((cells[0], cells[1], float(cells[2]), cells[3]))
        except (ValueError, IndexError):
            continue        # a row without a figure (e.g. needs root, ERROR)
    return " ".join(title), rows, dns


def plot(path):
    try:
        import matplotlib
    except ImportError:     # Debian's python3-matplotlib (scripts/deps.sh)
        print("plot: no matplotlib for %s: no plot of %s" % (sys.executable, path),
              file=sys.stderr)
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    title, rows, dns = read_table(path)
    if not rows:
        print("plot: no rows in %s" % path, file=sys.stderr)
        return
    rows.reverse()                  # first row on top
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.6))
    if dns:
        colours = ["#dd8452" if "XDP" in r[0] else "#4c72b0" for r in rows]
        ax.barh([r[1] for r in rows], [r[2] for r in rows], color=colours)
        ax.set_xlabel("answered queries per second")
        for i, r in enumerate(rows):
            ax.text(r[2], i, "  %.0f q/s (%s%%)" % (r[2], r[3]), va="center", fontsize=8)
        ax.set_xlim(right=max(r[2] for r in rows) * 1.35)
    else:
        colours = ["#4c72b0" if r[0].startswith("ebpf") else "#dd8452" for r in rows]
        ax.barh([r[1] for r in rows], [r[2] for r in rows], color=colours)
        ax.set_xscale("log")
        ax.set_xlabel("ns per packet (log scale)")
        for i, r in enumerate(rows):
            ax.text(r[2], i, "  %.0f ns (%sx)" % (r[2], r[3]), va="center", fontsize=8)
        ax.set_xlim(right=max(r[2] for r in rows) * 8)
    name = os.path.splitext(os.path.basename(path))[0]
    ax.set_title(textwrap.fill("%s: %s" % (name, title), 100), fontsize=7, loc="left")
    fig.tight_layout()
    out = os.path.splitext(path)[0] + ".png"
    fig.savefig(out, dpi=110)
    print("plot: %s" % out, file=sys.stderr)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        plot(p)
