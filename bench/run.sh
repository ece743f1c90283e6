#!/usr/bin/env bash
# One command, from a fresh clone: builds in Release, runs the benchmark and writes docs/benchmarks.md.
#   (a) the ceiling: the simulator's MQTT load against a bare MQTTnet broker that only parses and counts
#   (b) the same load against the full system (grains, rules, store)
#   (c) fault → console alert latency with 20,000 readings/s in the background, faults injected
#   (d) scale: 100,000 devices and 50,000 checkpoints on one node: start-up time and memory
#   (e) cluster: one node against two on PostgreSQL and Redis, and a kill -9 under load (bench/cluster.sh)
#   (f) the security office's door traffic: 2,000 doors, 5 changes a second each (bench/doors.sh)
#   (g) a load nobody tuned for (bench/alarms.sh): saturation rounds against the bare broker on one started system,
#       and alarm markers that clear and come back at 200, 2,000 and 20,000 readings/s; on both cores and on one
#   (h) an open console in Chromium during lone alarms and a flood: its requests per alarm, its main-thread time
#       (bench/console.sh)
# Everything binds to 127.0.0.1. Takes about 30 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
rm -rf "$out"; mkdir -p "$out"
CONNECTIONS=${CONNECTIONS:-200}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
ROUNDS=${ROUNDS:-3}
HTTP=127.0.0.1:5099; MQTT=1899; BARE=1898
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== building (Release)"
dotnet build -c Release Silo -v q -nologo | tail -1
dotnet build -c Release Simulator -v q -nologo | tail -1
silo=Silo/bin/Release/net10.0/SafetyPatrol.Silo.dll
sim="dotnet Simulator/bin/Release/net10.0/SafetyPatrol.Simulator.dll"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_system() { # site, data dir, log, more settings...
  rm -rf "$2"
  local t0; t0=$(date +%s.%N)
  dotnet "$silo" --demo --Urls=http://$HTTP --SafetyPatrol:SiteFile="$1" --SafetyPatrol:DataDir="$2" \
    --SafetyPatrol:Mqtt:Port=$MQTT --SafetyPatrol:SiloPort=11199 --SafetyPatrol:GatewayPort=30099 "${@:4}" >"$3" 2>&1 &
  system_pid=$!; pids+=("$system_pid")
  for _ in $(seq 1 600); do curl -sf "http://$HTTP/health" >/dev/null 2>&1 && break; sleep 0.2; done
  ready_seconds=$(echo "$(date +%s.%N) - $t0" | bc)
}
stop_system() { kill "$system_pid" 2>/dev/null || true; wait "$system_pid" 2>/dev/null || true; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

echo "== sites"
$sim generate --campuses 1 --rooms-per-building 12 --devices-per-room 3 --checkpoints-per-campus 30 --fast-checkpoints 10 \
  --heartbeat 30 --out "$out/site-load.json"
$sim generate --campuses 1042 --checkpoints-per-campus 48 --heartbeat 300 --out "$out/site-scale.json"

# This machine's speed wanders from minute to minute, so ceiling and system runs alternate and the
# report takes the median of each.
for round in $(seq 1 "$ROUNDS"); do
  echo "== (a) ceiling, round $round: bare MQTTnet broker, $CONNECTIONS connections, as fast as it takes"
  $sim bare-broker --port $BARE --stats-file "$out/bare.count" >"$out/bare.log" 2>&1 & bare_pid=$!; pids+=("$bare_pid")
  sleep 3
  $sim load --bare --mqtt 127.0.0.1:$BARE --site "$out/site-load.json" --connections "$CONNECTIONS" --rate 0 --qos 0 \
    --bare-stats "$out/bare.count" --duration "$SECONDS_PER_RUN" --report "$out/ceiling-$round.json" | grep Readings
  kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true

  echo "== (b) system, round $round: same load"
  start_system "$out/site-load.json" "$out/data-load" "$out/system-load.log"
  $sim load --url "http://$HTTP" --mqtt 127.0.0.1:$MQTT --site "$out/site-load.json" --connections "$CONNECTIONS" --rate 0 --qos 0 \
    --duration "$SECONDS_PER_RUN" --fault-every 0 --officers 0 --report "$out/system-$round.json" | grep Readings
  stop_system
done

echo "== (c) latency: 20,000 readings/s with faults and officers"
start_system "$out/site-load.json" "$out/data-latency" "$out/system-latency.log"
$sim load --url "http://$HTTP" --mqtt 127.0.0.1:$MQTT --site "$out/site-load.json" --connections 0 --rate 20000 --qos 0 \
  --duration 75 --fault-every 0.5 --warmup 10 --officers 2 --checkin-rate 2 --settle 45 --report "$out/latency.json" | tail -40 || true
stop_system

echo "== (c2) the same with every alert notified: a webhook, and a channel that never answers"
HOOK=5098
start_system "$out/site-load.json" "$out/data-notify" "$out/system-notify.log" \
  --SafetyPatrol:Notify:Channels:duty:Type=webhook --SafetyPatrol:Notify:Channels:duty:Url=http://127.0.0.1:$HOOK/hook \
  --SafetyPatrol:Notify:Channels:dead:Type=webhook --SafetyPatrol:Notify:Channels:dead:Url=http://127.0.0.1:$HOOK/hang \
  --SafetyPatrol:Notify:Routes:0:MinSeverity=warning --SafetyPatrol:Notify:Routes:0:Channels:0=duty --SafetyPatrol:Notify:Routes:0:Channels:1=dead
$sim load --url "http://$HTTP" --mqtt 127.0.0.1:$MQTT --site "$out/site-load.json" --connections 0 --rate 20000 --qos 0 \
  --duration 75 --fault-every 0.5 --warmup 10 --officers 2 --checkin-rate 2 --settle 45 --webhook-port $HOOK --report "$out/latency-notify.json" | tail -40 || true
stop_system

echo "== (d) scale: 100,000 devices and 50,000 checkpoints"
t0=$(date +%s.%N)
start_system "$out/site-scale.json" "$out/data-scale" "$out/system-scale.log"
scale_ready=$ready_seconds
for _ in $(seq 1 600); do grep -aq "Watching all" "$out/system-scale.log" && break; sleep 0.2; done
scale_watching=$(echo "$(date +%s.%N) - $t0" | bc)
scale_rss=$(rss_mib "$system_pid")
stop_system

echo "== writing docs/benchmarks.md"
python3 bench/report.py "$out" "$scale_ready" "$scale_rss" "$scale_watching"

echo "== (e) cluster"
stop_system
bash bench/cluster.sh

echo "== (f) door traffic"
bash bench/doors.sh

echo "== (g) a load nobody tuned for: both cores, then the server on one"
bash bench/alarms.sh
TASKSET="taskset -c 0" bash bench/alarms.sh

echo "== (h) an open console during alarms"
bash bench/console.sh
