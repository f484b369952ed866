"use strict";
// Lets `require` load `.ts` modules: each is compiled on load with the repository's own
// `typescript` (transpile only, CommonJS, inline source maps), so the benchmark needs no
// TypeScript runner and the e2e driver runs from test/e2e/driver as it is (its `__dirname`
// is its real folder). Type checking is `npm run typecheck`.
const fs = require("node:fs");
const ts = require("typescript");

process.setSourceMapsEnabled(true);

if (!require.extensions[".ts"]) {
  require.extensions[".ts"] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: false,
        inlineSourceMap: true,
        inlineSources: true,
      },
    });
    module._compile(outputText, filename);
  };
}
