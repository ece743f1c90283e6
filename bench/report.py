"""Writes this run's section of docs/benchmarks.md (between <!-- run --> and <!-- /run -->) and the notes, from bench/out.

Usage: python3 bench/report.py OUT READY_SECONDS RSS_MIB WATCHING_SECONDS
"""
import json, sys, platform, os, subprocess, datetime
out, ready, rss, watching = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
import glob, statistics
ceilings = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/ceiling-*.json"))]
systems = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/system-*.json"))]
c, s = ceilings[0], systems[0]
l = json.load(open(f"{out}/latency.json"))
n = json.load(open(f"{out}/latency-notify.json")) if os.path.exists(f"{out}/latency-notify.json") else None
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
mem = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) // 1048576
ceiling_runs = [x["readings"]["serverAcceptedPerSecond"] for x in ceilings]
system_runs = [x["readings"]["serverAcceptedPerSecond"] for x in systems]
ceiling, system = statistics.median(ceiling_runs), statistics.median(system_runs)
runs = lambda xs: ", ".join(f"{x:,.0f}" for x in xs)
a = l["alertLatencyMs"]; k = l["checkInLatencyMs"]; f = l["faults"]
scale = json.load(open(f"{out}/site-scale.json"))
rows = [
  ("(a) Ceiling: bare MQTTnet broker in Kestrel, parse + count", f"{ceiling:,.0f} readings/s (median)", f"counted by the broker; {c['connections']} connections, QoS 0, {c['seconds']:.0f} s a run; runs: {runs(ceiling_runs)}"),
  ("(b) Full system: same load through grains and rules", f"{system:,.0f} readings/s (median)", f"counted by the system (/api/stats); runs: {runs(system_runs)}; dropped {sum(x['readings']['serverDropped'] or 0 for x in systems)}, publish errors {sum(x['readings']['errors'] for x in systems)}"),
  ("Ratio (b)/(a)", f"{system / ceiling:.0%}", f"goal ≥ 70 %; ratio of medians; per round: {', '.join(f'{b / a:.0%}' for a, b in zip(ceiling_runs, system_runs))}"),
  ("(c) Background load", f"{l['readings']['serverAcceptedPerSecond'] or 0:,.0f} readings/s accepted", f"{l['connections']} connections, target 20,000/s, QoS 0"),
  ("(c) Fault → console alert (after due)", f"p50 {a['p50']} ms, p95 {a['p95']} ms, p99 {a['p99']} ms, max {a['max']} ms", f"n = {a['count']}; goal p99 ≤ 50 ms"),
  ("(c) Faults", f"{f['injected']} injected, {f['seen']} seen, {f['missed']} missed, {f['pending']} not yet due at the end", "goal: none missed"),
  ("(c) Check-in → console", f"p50 {k['p50']} ms, p99 {k['p99']} ms, max {k['max']} ms", f"n = {k['count']}"),
] + ([
  ("(c2) Same, every alert notified to a webhook and to a channel that never answers: fault → console", f"p50 {n['alertLatencyMs']['p50']} ms, p95 {n['alertLatencyMs']['p95']} ms, p99 {n['alertLatencyMs']['p99']} ms, max {n['alertLatencyMs']['max']} ms", f"n = {n['alertLatencyMs']['count']}; compare (c): a dead channel must not move it"),
  ("(c2) Fault → webhook delivery received", f"p50 {n['webhookLatencyMs']['p50']} ms, p95 {n['webhookLatencyMs']['p95']} ms, p99 {n['webhookLatencyMs']['p99']} ms, max {n['webhookLatencyMs']['max']} ms", f"n = {n['webhookLatencyMs']['count']}; {n['readings']['serverAcceptedPerSecond'] or 0:,.0f} readings/s in the background"),
] if n else []) + [
  ("(d) Scale site", f"{len(scale['devices']):,} devices, {len(scale['checkpoints']):,} checkpoints", f"{sum(len(b['rooms']) for b in scale['buildings']):,} rooms"),
  ("(d) Start-up to ready (/health 200: readings and check-ins taken)", f"{ready:.1f} s", "goal ≤ 15 s"),
  ("(d) Start-up until every device and checkpoint is watched", f"{watching:.1f} s", "silence and due times of grains that never spoke"),
  ("(d) Memory with everything active (RSS)", f"{rss:,} MiB", "goal ≤ 2,048 MiB"),
]
kinds = {}
for x in f["list"]:
    kinds.setdefault(x["kind"], []).append(x)
lines = ["# Benchmarks", "", f"Run by `bench/run.sh` on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC.", "",
  f"Machine: {os.cpu_count()} cores ({cpu}), {mem} GiB memory, {platform.system()} {platform.release()}; "
  f"{subprocess.run(['dotnet', '--version'], capture_output=True, text=True).stdout.strip()} SDK. "
  "The simulator runs on the same machine as the system, as the issue asks.", "",
  "| measure | result | notes |", "|---|---|---|"] + [f"| {r[0]} | {r[1]} | {r[2]} |" for r in rows] + ["",
  "Faults by kind (latency after the alert was due: injection + on-delay, or last message + heartbeat, or due + grace):", "",
  "| kind | injected | seen | missed | worst ms |", "|---|---|---|---|---|"] + [
  f"| {kind} | {len(xs)} | {sum(1 for x in xs if x['status'] == 'seen')} | {sum(1 for x in xs if x['status'] == 'missed')} | {max((x['latencyMs'] or 0) for x in xs):.1f} |" for kind, xs in sorted(kinds.items())]
# Only this run's section and the notes are written anew: the sections of the other bench scripts, and what is said
# of them next to them, stay as they are.
sys.path.insert(0, "bench")
import section as sections
path = "docs/benchmarks.md"
if not os.path.exists(path):
    open(path, "w").write("")
text = open(path).read()
if "<!-- run -->" not in text:
    open(path, "w").write("<!-- run -->\n<!-- /run -->\n" + text)
sections.write("run", "<!-- run -->\n" + "\n".join(lines) + "\n<!-- /run -->\n", path)
extra = "docs/benchmarks-notes.md"
if os.path.exists(extra):
    sections.write("notes", "<!-- notes -->\n" + open(extra).read().strip() + "\n<!-- /notes -->\n", path)
print("\n".join(lines))
