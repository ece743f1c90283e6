#!/usr/bin/env bash
# Starts a whole cluster on this one machine, for trying cluster mode: a throwaway PostgreSQL and
# Redis, two Silo nodes (each a whole system: HTTP, hub, console, MQTT) and one Web front end.
# As root (PostgreSQL runs as the postgres user). Ctrl+C stops it; should a node be left running
# (it waits for Redis to leave the cluster), pkill -f SafetyPatrol ends it.
#   bash deploy/cluster-local.sh [site.json]
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-sites/demo-campus.json}
work=$(mktemp -d /tmp/safetypatrol-cluster.XXXXXX) && chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
export SafetyPatrol__AdminPassword=${SafetyPatrol__AdminPassword:-cluster-demo-1}
export ConnectionStrings__SafetyPatrol="Host=127.0.0.1;Port=5433;Username=postgres;Database=postgres"
export ConnectionStrings__Redis="127.0.0.1:6380"
pids=()
redis_pid=""
# The nodes first (they leave the cluster through Redis), then Redis and PostgreSQL.
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do timeout 30 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
}
trap stop EXIT
trap 'exit 130' INT TERM

echo "== PostgreSQL on 5433, Redis on 6380 (data in $work)"
mkdir -p "$work/pg" && chown postgres:postgres "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -o "-p 5433 -k $work/pg -h 127.0.0.1" -l "$work/pg/server.log" -w start >/dev/null
redis-server --port 6380 --bind 127.0.0.1 --save "" >"$work/redis.log" 2>&1 & redis_pid=$!

dotnet build Silo -v q -nologo >/dev/null && dotnet build Web -v q -nologo >/dev/null
node() { # name http mqtt silo gateway
  dotnet Silo/bin/Debug/net10.0/SafetyPatrol.Silo.dll --Urls=http://127.0.0.1:$2 --SafetyPatrol:SiteFile="$site" \
    --SafetyPatrol:DataDir="$work/$1" --SafetyPatrol:Mqtt:Port=$3 --SafetyPatrol:SiloPort=$4 --SafetyPatrol:GatewayPort=$5 >"$work/$1.log" 2>&1 &
  pids+=($!)
}
node silo-a 5080 1883 11111 30000
node silo-b 5081 1884 11112 30001
for port in 5080 5081; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.5; done
done
dotnet Web/bin/Debug/net10.0/SafetyPatrol.Web.dll --Urls=http://127.0.0.1:5090 >"$work/web.log" 2>&1 & pids+=($!)
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:5090/health" >/dev/null 2>&1 && break; sleep 0.5; done

cat <<TEXT
Cluster running. Sign in as admin / $SafetyPatrol__AdminPassword on any of:
  node a:    http://127.0.0.1:5080/   MQTT 127.0.0.1:1883
  node b:    http://127.0.0.1:5081/   MQTT 127.0.0.1:1884
  front end: http://127.0.0.1:5090/   (Web program alone, finds the silos in Redis)
Logs in $work. Try: kill -9 the process of node a (its log is $work/silo-a.log) and watch node b carry on.
TEXT
wait
