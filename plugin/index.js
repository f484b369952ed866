// The plugin's entry: the Node language host runs @pulumi/pulumi/cmd/run-plugin on this folder,
// which requires it. The server lives in the package's build output.
require("../dist/plugin/main.js");
