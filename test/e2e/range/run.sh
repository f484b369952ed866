#!/usr/bin/env bash
# The ends of the supported range (README, "Supported versions"): the e2e lifecycle of every program
# users get, run with the oldest @pulumi/pulumi of the peer range on Node 20, then with the newest
# @pulumi/pulumi, TypeScript 6 and Node 22. Each folder here pins one end; its node_modules become
# the programs' dependencies (E2E_NODE_MODULES) and its node the programs' and hosts' (E2E_NODE).
set -euo pipefail
range=$(cd "$(dirname "$0")" && pwd)
cd "$range/../../.."
# Every program users get, each through up, rerun, update, a removed resource and destroy; and a
# program reading existing providers (MediaProvider.get, getMediaProviders).
tests=(test/e2e/programs.test.ts test/e2e/lookup.test.ts)
for end in oldest newest; do
  npm ci --prefix "$range/$end" --no-audit --no-fund
done
echo "== oldest: Node $(node --version), @pulumi/pulumi $(node -p "require('$range/oldest/node_modules/@pulumi/pulumi/package.json').version")"
E2E_NODE_MODULES="$range/oldest/node_modules" npx vitest run --project e2e "${tests[@]}"
newest_node="$range/newest/node_modules/.bin/node"
echo "== newest: Node $("$newest_node" --version), @pulumi/pulumi $(node -p "require('$range/newest/node_modules/@pulumi/pulumi/package.json').version")"
E2E_NODE_MODULES="$range/newest/node_modules" E2E_NODE="$newest_node" npx vitest run --project e2e "${tests[@]}"
