#!/bin/sh
# Two two-node clusters side by side, one per build (A: /tmp/ab-before on 5531/5532 with Redis 6390, B: /tmp/ab-after on
# 5541/5542 with Redis 6391), every node on core 0, Redis and the tool on core 1. Replies are posted on the first node
# of a cluster and watched on its second, in alternating pairs. Run from the repository root.
set -u
tool="taskset -c 1 dotnet src/LiveDiscussion.LoadTest/bin/Release/net10.0/LiveDiscussion.LoadTest.dll"
account="--email bench@example.com --password bench-password-1"
node() { # build port redis db
  (cd "$1" && ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Discussion="Data Source=$4" Demo__Seed=false \
    Admin__Email=bench@example.com Admin__Password=bench-password-1 Redis__Connection="$3" \
    nohup taskset -c 0 dotnet LiveDiscussion.Web.dll --urls http://127.0.0.1:$2 >> /tmp/xab-$2.log 2>&1 & echo $! > /tmp/xab-$2.pid)
}
ready() { until curl -sf "http://127.0.0.1:$1/health/ready" | grep -q Healthy; do sleep 0.5; done; }
rm -f /tmp/xab-a.db* /tmp/xab-b.db*
taskset -c 1 redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes
taskset -c 1 redis-server --port 6391 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes
node /tmp/ab-before 5531 127.0.0.1:6390 /tmp/xab-a.db; ready 5531; node /tmp/ab-before 5532 127.0.0.1:6390 /tmp/xab-a.db; ready 5532
node /tmp/ab-after 5541 127.0.0.1:6391 /tmp/xab-b.db; ready 5541; node /tmp/ab-after 5542 127.0.0.1:6391 /tmp/xab-b.db; ready 5542
run() { # name postport watchport pair
  $tool fanout --url http://127.0.0.1:$2 --watch-url http://127.0.0.1:$3 --watchers 500 --rate 20 --seconds 20 $account \
    --server-pid $(cat /tmp/xab-$3.pid) --json docs/benchmarks/cross-node-ab-$1-$4.json > /tmp/xab-$1-$4.txt 2>&1 || echo "$1 $4 failed"
  echo "$1 $4 done"
}
$tool fanout --url http://127.0.0.1:5531 --watch-url http://127.0.0.1:5532 --watchers 500 --rate 20 --seconds 10 $account > /dev/null 2>&1
$tool fanout --url http://127.0.0.1:5541 --watch-url http://127.0.0.1:5542 --watchers 500 --rate 20 --seconds 10 $account > /dev/null 2>&1
for i in 1 2 3 4 5 6 7; do
  if [ $((i % 2)) -eq 1 ]; then run a 5531 5532 $i; run b 5541 5542 $i; else run b 5541 5542 $i; run a 5531 5532 $i; fi
done
kill $(cat /tmp/xab-5531.pid) $(cat /tmp/xab-5532.pid) $(cat /tmp/xab-5541.pid) $(cat /tmp/xab-5542.pid)
redis-cli -p 6390 shutdown nosave; redis-cli -p 6391 shutdown nosave
