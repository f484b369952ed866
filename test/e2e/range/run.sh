#!/usr/bin/env bash
# The ends of the supported range (README, "Supported versions"). Each folder here pins one end: its
# node_modules become the dependencies of the programs the tests run (E2E_NODE_MODULES) and its
# `node` (the npm registry's node package) the programs' and provider hosts' (E2E_NODE):
#   oldest: Node 22, the oldest @pulumi/pulumi of the peer range, TypeScript 5.9
#   newest: Node 26, the newest @pulumi/pulumi, TypeScript 6
# (Node 24 with this repository's own dependencies runs the root project in `npm test` and the other
# e2e files in `npm run test:full`'s e2e run.) The two ends
# install, then run, side by side, each writing to a log that is printed when both are done.
#
# Usage: run.sh [command...]. A command (`npm run test:full` gives the `e2e` project's vitest run)
# runs while the ends install, so that its time hides theirs; the ends run when it has passed.
set -euo pipefail
range=$(cd "$(dirname "$0")" && pwd)
cd "$range/../../.."
# Each end runs the vitest projects `lifecycle` (the root project) and `range` (vitest.config.mts:
# every other program's lifecycle, the lookup, the plugin); each file honours E2E_NODE_MODULES and E2E_NODE.
ends=(oldest newest)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

test_end() {
  local end=$1 modules="$range/$1/node_modules"
  local node="$modules/.bin/node"
  echo "== $end: Node $("$node" --version), @pulumi/pulumi $("$node" -p "require('$modules/@pulumi/pulumi/package.json').version"), TypeScript $("$node" -p "require('$modules/typescript/package.json').version")"
  E2E_NODE_MODULES="$modules" E2E_NODE="$node" npx vitest run --project lifecycle --project range
}

# Both ends' global setups would rebuild a stale dist/ at once: build it here, once.
node scripts/build-if-stale.cjs
pids=()
for end in "${ends[@]}"; do
  npm ci --prefix "$range/$end" --no-audit --no-fund >"$logs/$end.log" 2>&1 &
  pids+=($!)
done
first=0
[ $# -eq 0 ] || "$@" || first=$?
codes=()
for i in "${!ends[@]}"; do
  codes[i]=0
  wait "${pids[$i]}" || codes[i]=$?
done
[ "$first" -eq 0 ] || exit "$first"
for i in "${!ends[@]}"; do
  pids[i]=
  [ "${codes[i]}" -ne 0 ] && continue
  test_end "${ends[$i]}" >>"$logs/${ends[$i]}.log" 2>&1 &
  pids[i]=$!
done
status=0
for i in "${!ends[@]}"; do
  [ -z "${pids[i]}" ] || wait "${pids[i]}" || codes[i]=$?
  cat "$logs/${ends[$i]}.log"
  echo "== ${ends[$i]}: exit ${codes[i]}"
  [ "${codes[i]}" -eq 0 ] || status=1
done
exit "$status"
