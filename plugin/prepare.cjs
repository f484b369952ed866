#!/usr/bin/env node
"use strict";
// `npm install` in this folder runs this as the folder's own `prepare` (npm 11 and 12 run the root
// project's lifecycle scripts; allowScripts governs only dependencies'). The Pulumi CLI runs exactly
// that, `npm install --loglevel=error`, in the plugin folder of a git source (a shallow clone of the
// repository at a tag, so no dist/) and of a local folder, and builds nothing before it starts the
// plugin. So:
//   - in a checkout (../src and ../scripts/prepare.cjs exist): the repository's own prepare builds
//     ../dist, first installing the root's dependencies from its lockfile when they are missing;
//     `@pulumi/pulumi/cmd/run-plugin` and the server's dependencies then resolve from ../node_modules;
//   - in an installed package (dist/ shipped, no src/): nothing to do, so nothing is installed.
const { existsSync } = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const rootPrepare = path.join(ROOT, "scripts", "prepare.cjs");

if (existsSync(path.join(ROOT, "src")) && existsSync(rootPrepare)) require(rootPrepare);
