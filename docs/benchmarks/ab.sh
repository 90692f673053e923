#!/bin/sh
# Two builds of the node side by side, one load-tool scenario run against each in turn: on a host whose speed drifts by
# a factor of two within minutes, runs minutes apart on fresh nodes cannot tell a 10 % change from the drift, but
# neighbouring runs can. Both nodes are pinned to core 0 (the one not measured sits idle), the tool to core 1.
#
#   sh docs/benchmarks/ab.sh BUILD_A_DIR BUILD_B_DIR OUT_PREFIX PAIRS SCENARIO [TOOL OPTIONS...]
#
# e.g. sh docs/benchmarks/ab.sh /tmp/before /tmp/after docs/benchmarks/fanout-2000-ab 3 fanout --client raw \
#        --watchers 2000 --rate 25 --seconds 20
#
# Each BUILD_DIR is a `dotnet publish` of src/LiveDiscussion.Web. Run from the repository root after the Release build
# of the load tool. Node A listens on 127.0.0.1:5530, B on 5540, each with a fresh database of its own in /tmp. After
# one unrecorded run of the scenario against each (WARMUP, if set, replaces its options: persist warms up with
# "--posters 64 --seconds 40"), every pair runs the scenario once against each node, A first in odd pairs and B first in
# even ones, and writes OUT_PREFIX-a-N.json / OUT_PREFIX-b-N.json (each run's printed table goes to
# /tmp/PREFIX-a-N.txt and -b-N.txt, PREFIX being OUT_PREFIX's file name). The tool adds --url, --server-pid and
# --json; the account comes from ACCOUNT. ENV_A and ENV_B, if set, are extra environment settings for node A and node B
# (e.g. ENV_B="RateLimits__Enabled=false" to measure one build with a feature on and off).
set -eu
build_a=$1 build_b=$2 out=$3 pairs=$4 scenario=$5
shift 5
account=${ACCOUNT:-"--email bench@example.com --password bench-password-1"}
tool="taskset -c 1 dotnet src/LiveDiscussion.LoadTest/bin/Release/net10.0/LiveDiscussion.LoadTest.dll"

start_node() { # name build port extra-environment
  rm -f "/tmp/ab-$1.db"*
  # shellcheck disable=SC2086
  (cd "$2" && env $4 DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION=4096 ASPNETCORE_ENVIRONMENT=Production \
    ConnectionStrings__Discussion="Data Source=/tmp/ab-$1.db" Demo__Seed=false \
    Admin__Email=bench@example.com Admin__Password=bench-password-1 \
    nohup taskset -c 0 dotnet LiveDiscussion.Web.dll --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$3" \
    >> "/tmp/ab-$1.log" 2>&1 & echo $! > "/tmp/ab-$1.pid")
}

run() { # name port pair options...
  name=$1 port=$2 pair=$3
  shift 3
  printed="/tmp/$(basename "$out")-$name-$pair.txt"
  # shellcheck disable=SC2086
  $tool "$scenario" "$@" --url "http://127.0.0.1:$port" $account --server-pid "$(cat "/tmp/ab-$name.pid")" \
    --json "$out-$name-$pair.json" > "$printed" 2>&1 || echo "$name $pair: the tool failed, see $printed"
  echo "$name $pair done"
}

start_node a "$build_a" 5530 "${ENV_A:-}"
start_node b "$build_b" 5540 "${ENV_B:-}"
trap 'kill $(cat /tmp/ab-a.pid) $(cat /tmp/ab-b.pid) 2>/dev/null' EXIT
# Both start on one core, migrating a fresh database each: wait until both answer as ready.
for port in 5530 5540; do
  tries=0
  until curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null; do
    tries=$((tries + 1))
    [ "$tries" -le 120 ] || { echo "the node on $port never got ready"; exit 1; }
    sleep 0.5
  done
done
for port in 5530 5540; do
  if [ -n "${WARMUP:-}" ]; then
    # shellcheck disable=SC2086
    $tool "$scenario" $WARMUP --url "http://127.0.0.1:$port" $account > /dev/null 2>&1 || true
  else
    # shellcheck disable=SC2086
    $tool "$scenario" "$@" --url "http://127.0.0.1:$port" $account > /dev/null 2>&1 || true
  fi
done

i=1
while [ "$i" -le "$pairs" ]; do
  if [ $((i % 2)) -eq 1 ]; then run a 5530 "$i" "$@"; run b 5540 "$i" "$@"; else run b 5540 "$i" "$@"; run a 5530 "$i" "$@"; fi
  i=$((i + 1))
done
