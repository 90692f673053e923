#!/usr/bin/python3
"""Draws fan-out latency against delivery rate, ours beside the bare hub, from fanout-sweep.sh's JSON files.

Usage: /usr/bin/python3 docs/benchmarks/plot-fanout.py OUTPUT.png RUN.json [RUN.json ...]

Needs Debian's matplotlib (apt-get install -y python3-matplotlib). Each JSON is one fanout run with a "baseline" (the
bare hub at the same rate); each run is one point per line, at the delivery rate it reached, so repeated runs at one
rate show the spread instead of hiding it. The target (p99 fan-out done within 200 ms at 50,000 deliveries/s)
is drawn as dotted lines. The lower panel is the CPU of the node and of the tool (its core above ~80 % means the tool's
own receiving is part of the latencies above it).
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

out, paths = sys.argv[1], sys.argv[2:]
if not paths:
    sys.exit(__doc__)

runs = []
for path in paths:
    with open(path, encoding="utf-8") as f:
        run = json.load(f)
    if run.get("scenario") != "fanout" or "baseline" not in run:
        sys.exit(f"{path}: not a fanout run with a baseline")
    runs.append(run)


def series(pick):
    points = sorted((pick(r)["deliveriesPerSecond"], pick(r)) for r in runs)
    return ([p[0] / 1000 for p in points],
            {k: [p[1].get(k) for p in points]
             for k in ("fanoutP50Ms", "fanoutP99Ms", "toolCpuPercentOfOneCore", "serverCpuPercent")})


fig, (ax, cpu) = plt.subplots(2, 1, figsize=(8, 7), dpi=120, sharex=True, gridspec_kw={"height_ratios": [3, 1.4]})
for label, pick, color in (("LiveDiscussion node", lambda r: r, "tab:blue"),
                           ("bare hub (SignalR only)", lambda r: r["baseline"], "tab:gray")):
    rate, values = series(pick)
    ax.plot(rate, values["fanoutP99Ms"], "o-", color=color, label=f"{label}: p99")
    ax.plot(rate, values["fanoutP50Ms"], "s--", color=color, alpha=0.6, label=f"{label}: p50")
    cpu.plot(rate, values["toolCpuPercentOfOneCore"], "^:", color=color, label=f"tool, against the {label.split(' (')[0]}")
    if all(v is not None for v in values["serverCpuPercent"]):
        cpu.plot(rate, values["serverCpuPercent"], "o-", color=color, label=f"{label.split(' (')[0]} itself")

ax.axhline(200, color="tab:red", linestyle=":", linewidth=1)
ax.axvline(50, color="tab:red", linestyle=":", linewidth=1)
ax.text(50.5, 205, "target: p99 ≤ 200 ms\nat 50k/s", color="tab:red", fontsize=8)
watchers = runs[0]["watchers"]
ax.set_title(f"Fan-out done (last of {watchers:,} watchers) against delivery rate; server on one core")
cpu.axhline(80, color="tab:red", linestyle=":", linewidth=1)
cpu.set_ylabel("% of one core")
cpu.set_ylim(0, 105)
cpu.set_xlabel("deliveries per second (thousands)")
cpu.grid(True, alpha=0.3)
cpu.legend(fontsize=7, loc="lower right")
ax.set_ylabel("fan-out done, ms (from the reply's intended send time)")
ax.set_ylim(bottom=0)
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(out)
print(f"wrote {out} from {len(runs)} runs")
