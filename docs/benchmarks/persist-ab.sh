#!/bin/sh
# Two builds of the node side by side, persist runs against each in turn: on a host whose speed drifts by a factor of
# two within minutes, runs minutes apart on fresh nodes cannot tell a 10 % change from the drift, but neighbouring
# runs can. Both nodes are pinned to core 0 (the one not measured sits idle), the tool to core 1.
#
#   sh docs/benchmarks/persist-ab.sh BUILD_A_DIR BUILD_B_DIR OUT_PREFIX [PAIRS] [SECONDS] [POSTERS]
#
# Each BUILD_DIR is a `dotnet publish` of src/LiveDiscussion.Web (as docs/benchmarks.md's node script makes it). Run from
# the repository root after the Release build of the load tool. Node A listens on 127.0.0.1:5530, B on 5540, each
# with a database of its own in /tmp. After a 40 s unrecorded pass against each, every pair runs
# `persist --post-via hub` once against each node, A first in odd pairs and B first in even ones, and writes
# OUT_PREFIX-a-N.json / OUT_PREFIX-b-N.json (each run's printed table goes to /tmp/persist-ab-a-N.txt and -b-N.txt).
# It prints a line per run: build, pair, stored replies/s, node CPU %.
set -eu
build_a=$1 build_b=$2 out=$3
pairs=${4:-8}
seconds=${5:-12}
posters=${6:-128}
account=${ACCOUNT:-"--email bench@example.com --password bench-password-1"}
tool="taskset -c 1 dotnet src/LiveDiscussion.LoadTest/bin/Release/net10.0/LiveDiscussion.LoadTest.dll"

start_node() { # name build port
  rm -f "/tmp/persist-ab-$1.db"*
  (cd "$2" && DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION=4096 ASPNETCORE_ENVIRONMENT=Production \
    ConnectionStrings__Discussion="Data Source=/tmp/persist-ab-$1.db" Demo__Seed=false \
    Admin__Email=bench@example.com Admin__Password=bench-password-1 \
    nohup taskset -c 0 dotnet LiveDiscussion.Web.dll --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$3" \
    >> "/tmp/persist-ab-$1.log" 2>&1 & echo $! > "/tmp/persist-ab-$1.pid")
}

run() { # name port pair
  # shellcheck disable=SC2086
  $tool persist --post-via hub --url "http://127.0.0.1:$2" --posters "$posters" --seconds "$seconds" --no-baseline \
    $account --server-pid "$(cat "/tmp/persist-ab-$1.pid")" --json "$out-$1-$3.json" > "/tmp/persist-ab-$1-$3.txt" 2>&1
  echo "$1 $3 $(grep -E 'stored replies/s|server CPU' "/tmp/persist-ab-$1-$3.txt" | awk '{print $NF}' | tr '\n' ' ')"
}

start_node a "$build_a" 5530
start_node b "$build_b" 5540
trap 'kill $(cat /tmp/persist-ab-a.pid) $(cat /tmp/persist-ab-b.pid) 2>/dev/null' EXIT
sleep 6
for port in 5530 5540; do
  # shellcheck disable=SC2086
  $tool persist --url "http://127.0.0.1:$port" --posters 64 --seconds 40 --no-baseline $account > /dev/null
done

i=1
while [ "$i" -le "$pairs" ]; do
  if [ $((i % 2)) -eq 1 ]; then run a 5530 "$i"; run b 5540 "$i"; else run b 5540 "$i"; run a 5530 "$i"; fi
  i=$((i + 1))
done
