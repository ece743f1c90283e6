#!/usr/bin/env bash
# Starts a whole cluster on this one machine, for trying cluster mode: a throwaway PostgreSQL and
# Redis, two Silo nodes (each a whole system: HTTP, hub, console, MQTT) and one Web front end.
# As root (PostgreSQL runs as the postgres user). Ctrl+C stops it; should a node be left running
# (it waits for Redis to leave the cluster), pkill -f SafetyPatrol ends it.
#   bash deploy/cluster-local.sh [site.json]
# PORT_BASE=n moves every port to n, n+1, … n+10 (PostgreSQL, Redis, then the nodes); SKIP_BUILD=1
# uses what is already built.
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-sites/demo-campus.json}
work=$(mktemp -d /tmp/safetypatrol-cluster.XXXXXX) && chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
export SafetyPatrol__AdminPassword=${SafetyPatrol__AdminPassword:-cluster-demo-1}
if [ -n "${PORT_BASE:-}" ]; then
  b=$PORT_BASE
  pg=$b redis=$((b+1)) http_a=$((b+2)) http_b=$((b+3)) http_web=$((b+4)) mqtt_a=$((b+5)) mqtt_b=$((b+6))
  silo_a=$((b+7)) silo_b=$((b+8)) gw_a=$((b+9)) gw_b=$((b+10))
else
  pg=5433 redis=6380 http_a=5080 http_b=5081 http_web=5090 mqtt_a=1883 mqtt_b=1884 silo_a=11111 silo_b=11112 gw_a=30000 gw_b=30001
fi
export ConnectionStrings__SafetyPatrol="Host=127.0.0.1;Port=$pg;Username=postgres;Database=postgres"
export ConnectionStrings__Redis="127.0.0.1:$redis"
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

echo "== PostgreSQL on $pg, Redis on $redis (data in $work)"
mkdir -p "$work/pg" && chown postgres:postgres "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -o "-p $pg -k $work/pg -h 127.0.0.1" -l "$work/pg/server.log" -w start >/dev/null
redis-server --port "$redis" --bind 127.0.0.1 --save "" >"$work/redis.log" 2>&1 & redis_pid=$!

[ -n "${SKIP_BUILD:-}" ] || { dotnet build Silo -v q -nologo >/dev/null && dotnet build Web -v q -nologo >/dev/null; }
node() { # name http mqtt silo gateway
  dotnet Silo/bin/Debug/net10.0/SafetyPatrol.Silo.dll --Urls=http://127.0.0.1:$2 --SafetyPatrol:SiteFile="$site" \
    --SafetyPatrol:DataDir="$work/$1" --SafetyPatrol:Mqtt:Port=$3 --SafetyPatrol:SiloPort=$4 --SafetyPatrol:GatewayPort=$5 >"$work/$1.log" 2>&1 &
  pids+=($!)
}
node silo-a "$http_a" "$mqtt_a" "$silo_a" "$gw_a"
node silo-b "$http_b" "$mqtt_b" "$silo_b" "$gw_b"
for port in "$http_a" "$http_b"; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.5; done
done
dotnet Web/bin/Debug/net10.0/SafetyPatrol.Web.dll --Urls=http://127.0.0.1:$http_web >"$work/web.log" 2>&1 & pids+=($!)
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$http_web/health" >/dev/null 2>&1 && break; sleep 0.5; done

cat <<TEXT
Cluster running. Sign in as admin / $SafetyPatrol__AdminPassword on any of:
  node a:    http://127.0.0.1:$http_a/   MQTT 127.0.0.1:$mqtt_a
  node b:    http://127.0.0.1:$http_b/   MQTT 127.0.0.1:$mqtt_b
  front end: http://127.0.0.1:$http_web/   (Web program alone, finds the silos in Redis)
Logs in $work. Try: kill -9 the process of node a (its log is $work/silo-a.log) and watch node b carry on.
TEXT
wait
