import { preloadImplementation } from "./deferred-service";
import { startPluginServer } from "./server";

// The plugin's entry, required by `plugin/index.js` when the Node language host runs
// `@pulumi/pulumi/cmd/run-plugin` on the plugin folder (argv: node, run-plugin, engine address).
// The engine reads the port from the first line of stdout; nothing else is ever written there. The
// methods load after that line, while the engine goes on starting (deferred-service.ts).
startPluginServer().then(
  ({ port }) => {
    process.stdout.write(`${port}\n`);
    preloadImplementation();
  },
  (error: unknown) => {
    process.stderr.write(`whatsapp plugin: cannot listen on 127.0.0.1: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
