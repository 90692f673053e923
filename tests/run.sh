#!/usr/bin/env bash
# Runs every test of LiveDiscussion on a fresh Debian machine and ends with "N passed, N failed".
# Installs what the tests need (Debian's Chromium for the browser tests, redis-server for the two-node tests,
# PostgreSQL for the tests on that store, docker-compose to check the compose file) with apt-get when it is missing.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/.test-artifacts"
rm -rf "$results"
mkdir -p "$results"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
need() {
    local command="$1" package="$2"
    shift 2
    # A command on PATH, or (with a slash) a path pattern of the program.
    if command -v "$command" >/dev/null 2>&1 || { [[ "$command" == */* ]] && compgen -G "$command" >/dev/null; }; then
        return
    fi
    echo "== installing $package (for $command)"
    if [ "$apt_updated" = false ]; then
        as_root apt-get update -qq
        apt_updated=true
    fi
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" "$package" >/dev/null
}

need chromium chromium
need redis-server redis-server
# Debian keeps PostgreSQL's programs in /usr/lib/postgresql/VERSION/bin; the test fixture looks there and on PATH.
command -v initdb >/dev/null 2>&1 || need '/usr/lib/postgresql/*/bin/initdb' postgresql --no-install-recommends
need docker-compose docker-compose --no-install-recommends

passed=0
failed=0

check() {
    local name="$1"
    shift
    if "$@" >"$results/$name.log" 2>&1; then
        echo "== check $name: passed"
        passed=$((passed + 1))
    else
        echo "== check $name: FAILED"
        cat "$results/$name.log"
        failed=$((failed + 1))
    fi
}

check compose-file docker-compose -f docker-compose.yml config -q

echo "== building"
if ! dotnet build LiveDiscussion.sln -c Debug -nologo -v quiet; then
    echo "0 passed, 1 failed (the build failed)"
    exit 1
fi

# The browser tests run the app as the Dockerfile publishes it. Publishing it now, while the other test projects run
# (they leave a core mostly idle), takes it off the browser tests' own time; if it fails, they publish it themselves.
published="$results/published-app"
dotnet publish src/LiveDiscussion.Web -c Release -o "$published" --no-restore -nologo -v quiet \
    -nodeReuse:false -p:UseSharedCompilation=false > "$results/publish.log" 2>&1 &
publish_pid=$!

for project in tests/LiveDiscussion.Tests tests/LiveDiscussion.LoadTest.Tests tests/LiveDiscussion.BrowserTests; do
    name="$(basename "$project")"
    if [ "$name" = LiveDiscussion.BrowserTests ] && wait "$publish_pid"; then
        export LIVEDISCUSSION_PUBLISHED_APP="$published"
    fi
    echo "== testing $name"
    dotnet test "$project" --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
        --results-directory "$results" || true
    trx="$results/$name.trx"
    if [ ! -f "$trx" ]; then
        echo "!! $name produced no results: counted as one failure"
        failed=$((failed + 1))
        continue
    fi
    counters="$(grep -o '<Counters [^>]*>' "$trx")"
    count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    passed=$((passed + $(count passed)))
    failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
    not_run=$(( $(count total) - $(count executed) ))
    if [ "$not_run" -gt 0 ]; then
        echo "!! $name: $not_run tests did not run: counted as failures"
        failed=$((failed + not_run))
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
