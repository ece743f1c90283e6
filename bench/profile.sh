#!/usr/bin/env bash
# Where ingestion time goes: the system under a warm load of 200 connections, sampled with dotnet-trace for 12 s,
# then the CPU stacks summed up (bench/hotspots.py). Needs dotnet-trace (dotnet tool install -g dotnet-trace).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out-profile; mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release Silo -v q -nologo | tail -1
dotnet build -c Release Simulator -v q -nologo | tail -1
sim="dotnet Simulator/bin/Release/net10.0/SafetyPatrol.Simulator.dll"
site="$out/site.json"
[ -f "$site" ] || $sim generate --campuses 1 --rooms-per-building 12 --devices-per-room 3 --checkpoints-per-campus 30 --heartbeat 30 --out "$site"
rm -rf "$out/data"
dotnet Silo/bin/Release/net10.0/SafetyPatrol.Silo.dll --demo --Urls=http://127.0.0.1:5095 --SafetyPatrol:SiteFile="$site" --SafetyPatrol:DataDir="$out/data" \
  --SafetyPatrol:Mqtt:Port=1895 --SafetyPatrol:SiloPort=11195 --SafetyPatrol:GatewayPort=30095 "$@" >"$out/system.log" 2>&1 &
pid=$!; trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf http://127.0.0.1:5095/health >/dev/null 2>&1 && break; sleep 0.2; done
load() { $sim load --mqtt 127.0.0.1:1895 --url http://127.0.0.1:5095 --site "$site" --connections 200 --rate 0 --qos 0 --duration "$1" --fault-every 0 --officers 0 | grep Readings; }
load 15            # warm up
load 30 > "$out/load.txt" & loader=$!; sleep 8
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks); t0=$(date +%s.%N)
"${DOTNET_TRACE:-$HOME/.dotnet/tools/dotnet-trace}" collect -p $pid --profile dotnet-sampled-thread-time,dotnet-common \
  --duration 00:00:00:12 --format Speedscope -o "$out/trace.nettrace" >"$out/trace.log" 2>&1 || { cat "$out/trace.log"; exit 1; }
cores=$(echo "($(ticks) - $before) / $(getconf CLK_TCK) / ($(date +%s.%N) - $t0)" | bc -l)
wait "$loader"; cat "$out/load.txt"
rate=$(grep -oP 'accepted by the system [0-9,]+ \(\K[0-9,]+' "$out/load.txt" | tr -d ,)
python3 bench/hotspots.py "$out/trace.speedscope.json" > "$out/hotspots.txt"; head -40 "$out/hotspots.txt"
echo "== per reading (the system's CPU while traced: $cores cores, at $rate readings/s; tracing itself costs some)"
python3 bench/breakdown.py "$out/trace.speedscope.json" "$cores" "$rate" | tee "$out/breakdown.md"
