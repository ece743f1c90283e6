#!/usr/bin/env bash
# Ingestion and alarm latency under a load nobody tuned for (issue 20), on one system started once:
#   (s) saturation: ROUNDS rounds alternating a bare MQTTnet broker in Kestrel and the system on the same load
#       (CONNECTIONS devices, QoS 0, each as fast as its connection takes it, SECONDS_PER_RUN s); per round the ratio,
#       and how long the system needed after the last publish to take what it was sent (drain);
#   (m) markers: CONNECTIONS devices paced to each of RATES readings/s in all; every 10 s each device (staggered) sends
#       one reading past an immediate threshold with a unique value, and its next reading is normal again, so every
#       marker is an activation or the condition coming back; a SignalR console times each until an alert shows it.
# Prints every round and writes the "Load nobody tuned for" section of docs/benchmarks.md (between its markers).
# Takes about 6 minutes on 2 cores; everything binds to 127.0.0.1. Settings: CONNECTIONS, SECONDS_PER_RUN, ROUNDS,
# RATES, MARKER_SECONDS, TASKSET (e.g. "taskset -c 0": the system on one core), BARE_ENV (variables for the bare broker
# alone, e.g. "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1" to run its sockets as the system runs its own).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out-alarms; rm -rf "$out"; mkdir -p "$out"
CONNECTIONS=${CONNECTIONS:-200}; SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}; ROUNDS=${ROUNDS:-3}
RATES=${RATES:-"200 2000 20000"}; MARKER_SECONDS=${MARKER_SECONDS:-40}; TASKSET=${TASKSET:-}
HTTP=127.0.0.1:5093; MQTT=1893; BARE=1892
source bench/common.sh

$sim generate --campuses 1 --rooms-per-building 12 --devices-per-room 3 --checkpoints-per-campus 30 --heartbeat 300 \
  --out "$out/site.json" >/dev/null

echo "== system started once"
$TASKSET dotnet "$silo" --demo --Urls=http://$HTTP --SafetyPatrol:SiteFile="$out/site.json" --SafetyPatrol:DataDir="$out/data" \
  --SafetyPatrol:Mqtt:Port=$MQTT --SafetyPatrol:SiloPort=11193 --SafetyPatrol:GatewayPort=30093 >"$out/system.log" 2>&1 &
system=$!; pids+=("$system")
for _ in $(seq 1 600); do curl -sf "http://$HTTP/health" >/dev/null 2>&1 && break; sleep 0.2; done
${BARE_ENV:+env $BARE_ENV} $TASKSET $sim bare-broker --port $BARE --stats-file "$out/bare.count" >"$out/bare.log" 2>&1 &
pids+=("$!")
sleep 2

for round in $(seq 1 "$ROUNDS"); do
  echo "== (s) round $round: bare broker"
  $sim load --bare --mqtt 127.0.0.1:$BARE --site "$out/site.json" --connections "$CONNECTIONS" --rate 0 --qos 0 \
    --bare-stats "$out/bare.count" --duration "$SECONDS_PER_RUN" --drain --report "$out/bare-$round.json" | grep -E "Readings|Drain"
  echo "== (s) round $round: system"
  $sim load --url "http://$HTTP" --mqtt 127.0.0.1:$MQTT --site "$out/site.json" --connections "$CONNECTIONS" --rate 0 --qos 0 \
    --duration "$SECONDS_PER_RUN" --fault-every 0 --officers 0 --drain --report "$out/system-$round.json" | grep -E "Readings|Drain"
done

for rate in $RATES; do
  echo "== (m) markers at $rate readings/s"
  $sim load --url "http://$HTTP" --mqtt 127.0.0.1:$MQTT --site "$out/site.json" --connections "$CONNECTIONS" --rate "$rate" --qos 0 \
    --duration "$MARKER_SECONDS" --fault-every 0 --officers 0 --markers 10 --warmup 5 --settle 10 --report "$out/markers-$rate.json" \
    | grep -E "Readings|Marker" || true
done

python3 - "$out" "$ROUNDS" "$RATES" "${TASKSET:-none}" <<'PY'
import json, sys, re, datetime, os
out, rounds, rates, taskset = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4]
load = lambda name: json.load(open(f"{out}/{name}.json"))
rows = []
for r in range(1, rounds + 1):
    bare, system = load(f"bare-{r}"), load(f"system-{r}")
    b, s = bare["readings"]["serverAcceptedPerSecond"], system["readings"]["serverAcceptedPerSecond"]
    rows.append(f"| saturation, round {r} | {s:,.0f} / {b:,.0f} readings/s = **{s / b:.2f}** | drain after the last publish: system {system['drainSeconds']:.1f} s, bare broker {bare['drainSeconds']:.1f} s; goal ≥ 0.85 and ≤ 1 s |")
for rate in rates:
    m = load(f"markers-{rate}")
    k, lat, acc = m["markers"], m["markers"]["latency"], m["readings"]["serverAcceptedPerSecond"]
    rows.append(f"| markers at {int(rate):,}/s | p50 {lat['p50']} ms, p99 **{lat['p99']} ms**, max {lat['max']} ms | {k['seen']}/{k['sent']} seen, {k['missing']} missing; {acc:,.0f} readings/s accepted; goal p99 ≤ 50 ms at 20,000/s, none missing |")
when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
# Unpinned (both cores) and pinned runs each keep a section of their own.
mark, title = ("alarms", "Load nobody tuned for (issue 20)") if taskset == "none" else ("alarms-pinned", f"The same with the system and the bare broker pinned: `{taskset}`")
section = (f"<!-- {mark} -->\n## {title}\n\nRun by `bench/alarms.sh` on {when}" + ("" if taskset == "none" else f" with `TASKSET=\"{taskset}\"`") + ".\n\n"
           "| shape | result | notes |\n|---|---|---|\n" + "\n".join(rows) + f"\n<!-- /{mark} -->\n")
print(section)
sys.path.insert(0, "bench")
import section as sections
sections.write(mark, section)
PY
