#!/usr/bin/env bash
# An open console during alarms (issue 23): Chromium (Debian's) signed in as an operator, on a campus of 1,044 devices.
#   (l) LONE alarms one at a time, 2 s apart, one building after another: the console's requests to /api/ per alarm
#       (goal 0);
#   (f) a FLOOD of the next FLOOD (900) alarms as fast as they go: its requests, and its main-thread time (CDP: task, script,
#       layout) until every alarm is on its list.
# Every alarm is a device's tamper switch. With BEFORE=<commit>, the same run first on that commit's system and console
# (built in a worktree), for the figures before and after. Writes the "Console during alarms" section of
# docs/benchmarks.md (between its markers). Needs npm (playwright-core, mqtt) and /usr/bin/chromium; takes about 3
# minutes a run on 2 cores; everything binds to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out-console; rm -rf "$out"; mkdir -p "$out"
LONE=${LONE:-20}; FLOOD=${FLOOD:-900}; BEFORE=${BEFORE:-}
HTTP=127.0.0.1:5097; MQTT=1897
source bench/common.sh
(cd bench/console && npm install --no-audit --no-fund --silent)

$sim generate --campuses 1 --rooms-per-building 29 --devices-per-room 6 --checkpoints-per-campus 0 --heartbeat 86400 \
  --out "$out/site.json" >/dev/null

run() { # name, the system's Silo dll (it carries its console)
  echo "== $1"
  rm -rf "$out/data"
  dotnet "$2" --demo --Urls=http://$HTTP --SafetyPatrol:SiteFile="$out/site.json" --SafetyPatrol:DataDir="$out/data" \
    --SafetyPatrol:Mqtt:Port=$MQTT --SafetyPatrol:SiloPort=11197 --SafetyPatrol:GatewayPort=30097 >"$out/system-$1.log" 2>&1 &
  system=$!; pids+=("$system")
  for _ in $(seq 1 600); do curl -sf "http://$HTTP/health" >/dev/null 2>&1 && break; sleep 0.2; done
  node bench/console/flood.mjs "http://$HTTP" 127.0.0.1:$MQTT "$out/site.json" "$LONE" "$FLOOD" | tee "$out/$1.json"
  kill "$system" 2>/dev/null || true; wait "$system" 2>/dev/null || true
}

if [ -n "$BEFORE" ]; then
  git worktree remove --force "$out/before-tree" 2>/dev/null || true
  git worktree add --detach "$out/before-tree" "$BEFORE" >/dev/null
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; git worktree remove --force "$out/before-tree" 2>/dev/null || true' EXIT
  dotnet build -c Release "$out/before-tree/Silo" -v q -nologo | tail -1
  run before "$out/before-tree/Silo/bin/Release/net10.0/SafetyPatrol.Silo.dll"
  git -C "$out/before-tree" rev-parse --short HEAD > "$out/before.commit"
fi
run after "$silo"
git rev-parse --short HEAD > "$out/after.commit"

python3 - "$out" <<'PY'
import datetime, json, os, sys
out = sys.argv[1]
def load(name):
    path = f"{out}/{name}.json"
    return (json.load(open(path)), open(f"{out}/{name}.commit").read().strip()) if os.path.exists(path) else None
runs = [(name, run) for name in ("before", "after") if (run := load(name))]
def paths(by): return ", ".join(f"{p} {n}" for p, n in sorted(by.items())) or "none"
rows = []
for name, (r, commit) in runs:
    lone, flood = r["lone"], r["flood"]
    rows.append((f"{name} ({commit})", f"{lone['requests'] / lone['alarms']:.2f} ({lone['requests']} for {lone['alarms']})", paths(lone["byPath"]),
                 f"{flood['requests']} for {flood['alarms']:,}", paths(flood["byPath"]),
                 f"{flood['taskSeconds']:.2f} s task, {flood['scriptSeconds']:.2f} s script, {flood['layoutSeconds']:.2f} s layout",
                 (f"{flood['shownSeconds']:.1f} s" if flood["complete"] else f"**{flood['shown']:,} of {flood['alarms']:,} shown** after {flood['shownSeconds']:.0f} s")
                 + f" (published in {flood['publishSeconds']:.1f} s); hub connection lost {flood['connectionLost']} times"))
devices = len(json.load(open(f"{out}/site.json"))["devices"])
when = datetime.datetime.fromtimestamp(os.path.getmtime(f"{out}/after.json"), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
section = (f"<!-- console -->\n## Console during alarms\n\nRun by `bench/console.sh` on {when}: Chromium signed in as an operator "
           f"on a campus of {devices:,} devices; every alarm is a device's tamper switch (a trouble alert). Lone alarms come one "
           "at a time, 2 s apart, one building after another; then the flood as fast as the script sends it. Requests are "
           "the console's calls to `/api/`, counted until 4 s after the last alarm of each phase shows; main-thread time is "
           "Chromium's own (CDP Performance) from the flood's first alarm until the last is on the list.\n\n"
           "| system | requests per lone alarm | of them | requests in the flood | of them | console main thread in the flood | every alarm shown after |\n"
           "|---|---|---|---|---|---|---|\n" + "\n".join("| " + " | ".join(r) + " |" for r in rows) + "\n<!-- /console -->\n")
print(section)
sys.path.insert(0, "bench")
import section as sections
sections.write("console", section)
PY
