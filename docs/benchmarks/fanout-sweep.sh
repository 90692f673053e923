#!/bin/sh
# Fanout at a rising reply rate, against a running node and the bare hub in the same runs, for the chart of fan-out
# latency against delivery rate (docs/benchmarks/plot-fanout.py draws it from the JSON files this writes).
#
#   sh docs/benchmarks/fanout-sweep.sh NODE_URL BARE_HUB_URL NODE_PID OUT_PREFIX [RATES] [WATCHERS] [SECONDS]
#
# Run from the repository root after the Release build of the load tool, with the node and the bare hub started as
# docs/benchmarks.md says (both pinned to core 0); the tool runs pinned to core 1. Each rate writes
# OUT_PREFIX-RATE.json (its "baseline" is the bare hub's run at the same rate). A 10 s pass at the first rate warms
# the node up first and is not recorded. The account is the bench node's admin unless ACCOUNT is set.
set -eu
node_url=$1 bare_url=$2 node_pid=$3 out=$4
rates=${5:-"5 10 15 20 25 30"}
watchers=${6:-2000}
seconds=${7:-20}
account=${ACCOUNT:-"--email bench@example.com --password bench-password-1"}
tool="taskset -c 1 dotnet src/LiveDiscussion.LoadTest/bin/Release/net10.0/LiveDiscussion.LoadTest.dll"

first=${rates%% *}
# shellcheck disable=SC2086
$tool fanout --client raw --url "$node_url" --watchers "$watchers" --rate "$first" --seconds 10 $account > /dev/null

for rate in $rates; do
  echo "fanout sweep: $watchers watchers at $rate replies/s"
  # shellcheck disable=SC2086
  $tool fanout --client raw --url "$node_url" --baseline-url "$bare_url" --watchers "$watchers" --rate "$rate" \
    --seconds "$seconds" $account --server-pid "$node_pid" --json "$out-$rate.json" | tail -n 14
done
