// The plugin's entry: the Node language host runs @pulumi/pulumi/cmd/run-plugin on this folder,
// which requires it. The server lives in the package's build output; the compile cache is on
// before it loads (see dist/utils/compile-cache.js).
require("../dist/utils/compile-cache.js").cacheCompiledCode();
require("../dist/plugin/main.js");
