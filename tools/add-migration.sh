#!/usr/bin/env bash
# Adds the migration NAME for both stores: the SQLite context (Data/Migrations) and the PostgreSQL context
# (Data/Migrations/Postgres). A model change needs both; the app refuses to migrate a store whose snapshot is behind.
# Usage: tools/add-migration.sh Name
set -euo pipefail

name="${1:?usage: tools/add-migration.sh Name}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# On a machine shared with other builds, EF's build waits for its turn (flock on /tmp/cpu.lock) when flock is there.
lock=()
if command -v flock >/dev/null 2>&1; then
    lock=(flock /tmp/cpu.lock)
fi

dotnet tool restore
"${lock[@]}" dotnet ef migrations add "$name" --project src/LiveDiscussion.Web \
    --context DiscussionDbContext --output-dir Data/Migrations
"${lock[@]}" dotnet ef migrations add "$name" --project src/LiveDiscussion.Web \
    --context PostgresDiscussionDbContext --output-dir Data/Migrations/Postgres
