# Sourced by the cluster bench scripts (as root: PostgreSQL runs as its own user), after $out, $PG and $REDIS are set:
# the node published as docs/cluster.md deploys one, compiled ahead of time ($silo; PLAIN=1: the Release build as
# `dotnet build` leaves it), the simulator's Release build ($sim), PostgreSQL and Redis started under $out, node() to
# start a node of a cluster on them (on the site file or folder $site), healthy() to wait for one. Everything started
# is stopped when the script exits.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "${PLAIN:-0}" = 1 ]; then
  echo "== building (Release)"
  dotnet build -c Release Silo -v q -nologo | tail -1
  silo=Silo/bin/Release/net10.0/SafetyPatrol.Silo.dll
  export NODE_BUILD="each node the plain Release build (PLAIN=1)"
else
  echo "== publishing the node (Release, ReadyToRun, as docs/cluster.md deploys it)"
  dotnet publish Silo -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o bench/out/node -v q -nologo | tail -1
  silo=bench/out/node/SafetyPatrol.Silo.dll
  export NODE_BUILD="each node published ReadyToRun, as docs/cluster.md deploys it"
fi
dotnet build -c Release Simulator -v q -nologo | tail -1
sim="dotnet Simulator/bin/Release/net10.0/SafetyPatrol.Simulator.dll"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

pids=()
redis_pid=""
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$out/pg" -m immediate stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== PostgreSQL on $PG, Redis on $REDIS"
mkdir -p "$out/pg" && chown postgres:postgres "$out/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$out/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$out/pg" -o "-p $PG -k $out/pg -h 127.0.0.1" -l "$out/pg/server.log" -w start >/dev/null
redis-server --port $REDIS --bind 127.0.0.1 --save "" >"$out/redis.log" 2>&1 & redis_pid=$!

node() { # name http mqtt silo gateway database [more settings]
  runuser -u postgres -- psql -h 127.0.0.1 -p $PG -U postgres -qc "CREATE DATABASE $6" 2>/dev/null || true
  dotnet "$silo" --demo --Urls=http://127.0.0.1:$2 --SafetyPatrol:SiteFile="$site" --SafetyPatrol:DataDir="$out/$1" \
    --SafetyPatrol:Mqtt:Port=$3 --SafetyPatrol:SiloPort=$4 --SafetyPatrol:GatewayPort=$5 \
    --SafetyPatrol:ClusterId="$6" "--ConnectionStrings:SafetyPatrol=Host=127.0.0.1;Port=$PG;Username=postgres;Database=$6" \
    --ConnectionStrings:Redis=127.0.0.1:$REDIS "${@:7}" >"$out/$1.log" 2>&1 &
  last_pid=$!; pids+=("$last_pid")
}
healthy() { for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return; sleep 0.2; done; echo "node on $1 never became healthy" >&2; exit 1; }
