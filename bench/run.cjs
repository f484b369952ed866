"use strict";
// Entry point of `npm run bench` (after `npm run build`): runs bench/main.ts through the `.ts`
// require hook in ts-hook.cjs. Arguments: see bench/README.md.
const path = require("node:path");

require("./ts-hook.cjs");

require(path.join(__dirname, "main.ts"))
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err?.stack ?? String(err));
      process.exitCode = 1;
    },
  );
