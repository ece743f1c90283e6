#!/usr/bin/env bash
# Ingestion at the limit: the system against a bare MQTTnet broker on the same load, cold and warm.
# Each round: the ceiling (bare broker), then a freshly started system taking the load at once (cold: every
# device connects and sends right after start, as after a restart), then WARM more runs on the same system.
# Usage: bench/ingest.sh [label] [more Silo settings...]; CONNECTIONS (200), SECONDS_PER_RUN (20), ROUNDS (3), WARM (2).
# Writes bench/out-ingest/<label>.json and prints a table. Takes about ROUNDS × (WARM + 2) × 25 s.
set -euo pipefail
cd "$(dirname "$0")/.."
label=${1:-system}; shift || true
out=bench/out-ingest; mkdir -p "$out"
CONNECTIONS=${CONNECTIONS:-200}; SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}; ROUNDS=${ROUNDS:-3}; WARM=${WARM:-2}
HTTP=127.0.0.1:5097; MQTT=1897; BARE=1896
source bench/common.sh
site="$out/site.json"
[ -f "$site" ] || $sim generate --campuses 1 --rooms-per-building 12 --devices-per-room 3 --checkpoints-per-campus 30 --heartbeat 30 --out "$site"

run() { # kind, round, mqtt port, more load options
  $sim load --mqtt 127.0.0.1:$3 --site "$site" --connections "$CONNECTIONS" --rate 0 --qos 0 --duration "$SECONDS_PER_RUN" \
    --report "$out/$label-$1-$2.json" "${@:4}" | grep Readings
}
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: ceiling"
  $sim bare-broker --port $BARE --stats-file "$out/bare.count" >"$out/bare.log" 2>&1 & bare=$!; pids+=("$bare")
  sleep 3
  run ceiling "$round" $BARE --bare --bare-stats "$out/bare.count"
  kill "$bare"; wait "$bare" 2>/dev/null || true
  echo "== round $round: system ($label), cold then warm"
  rm -rf "$out/data"
  dotnet "$silo" --demo --Urls=http://$HTTP --SafetyPatrol:SiteFile="$site" --SafetyPatrol:DataDir="$out/data" \
    --SafetyPatrol:Mqtt:Port=$MQTT --SafetyPatrol:SiloPort=11197 --SafetyPatrol:GatewayPort=30097 "$@" >"$out/system.log" 2>&1 & system=$!; pids+=("$system")
  for _ in $(seq 1 600); do curl -sf "http://$HTTP/health" >/dev/null 2>&1 && break; sleep 0.2; done
  run cold "$round" $MQTT --url "http://$HTTP" --fault-every 0 --officers 0
  for w in $(seq 1 "$WARM"); do run "warm$w" "$round" $MQTT --url "http://$HTTP" --fault-every 0 --officers 0; done
  kill "$system"; wait "$system" 2>/dev/null || true
done

python3 - "$out" "$label" "$ROUNDS" "$WARM" <<'PY'
import json, sys, statistics
out, label, rounds, warm = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rate = lambda kind, r: json.load(open(f"{out}/{label}-{kind}-{r}.json"))["readings"]["serverAcceptedPerSecond"]
rows, cold, warms = [], [], []
for r in range(1, rounds + 1):
    c = rate("ceiling", r); k = rate("cold", r) / c; w = [rate(f"warm{i}", r) / c for i in range(1, warm + 1)]
    cold.append(k); warms += w
    rows.append(f"| {r} | {c:,.0f} | {k:.2f} | {' / '.join(f'{x:.2f}' for x in w)} |")
summary = {"label": label, "cold": cold, "warm": warms, "coldMin": min(cold), "warmMedian": statistics.median(warms)}
json.dump(summary, open(f"{out}/{label}.json", "w"))
print(f"\n{label}: cold min {min(cold):.2f}, warm median {statistics.median(warms):.2f}\n")
print("| round | ceiling readings/s | cold ratio | warm ratios |\n|---|---|---|---|\n" + "\n".join(rows))
PY
