"use strict";
// Capture step of the e2e engine driver, run as a plain `node` child process (never inside vitest,
// whose module transform changes what Pulumi's closure serializer captures).
//
//   cwd:   the installed program folder (its node_modules provide @pulumi/pulumi and the package)
//   argv:  <program.js>
//   env:   E2E_CAPTURE_OPTIONS = {"project","stack","preview"}; PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS
//
// Runs the program under `pulumi.runtime.setMocks` and wraps the mock monitor's `registerResource`, so
// what is recorded is exactly the RegisterResourceRequest the engine would receive: `object` still has
// secrets wrapped at their exact paths (the mock's own `newResource` args only say "some of it is
// secret"). Prints one line `@@E2E_CAPTURE@@{"resources":[...]}` on stdout.
const path = require("node:path");
const { createRequire } = require("node:module");

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const MARKER = "@@E2E_CAPTURE@@";

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isSecret = (v) => isObject(v) && v[SIG_KEY] === SECRET_SIG;
const keyPath = (prefix, k) =>
  /^[A-Za-z_$][\w$]*$/.test(k) ? (prefix ? `${prefix}.${k}` : k) : `${prefix}[${JSON.stringify(k)}]`;

function secretPaths(v, prefix = "") {
  if (isSecret(v)) return [prefix, ...secretPaths(v.value, prefix).filter((p) => p !== prefix)];
  if (Array.isArray(v)) return v.flatMap((e, i) => secretPaths(e, `${prefix}[${i}]`));
  if (isObject(v)) return Object.entries(v).flatMap(([k, e]) => secretPaths(e, keyPath(prefix, k)));
  return [];
}

let failed = false;
const fail = (err) => {
  failed = true;
  console.error(err?.stack ?? String(err));
};
process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);

async function main() {
  const program = path.resolve(process.argv[2]);
  const opts = JSON.parse(process.env.E2E_CAPTURE_OPTIONS || "{}");
  const requireHere = createRequire(path.join(process.cwd(), "package.json"));
  const pulumi = requireHere("@pulumi/pulumi");

  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: opts.preview ? undefined : `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    opts.project,
    opts.stack,
    opts.preview === true,
  );

  const resources = [];
  const monitor = pulumi.runtime.getMonitor();
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const inputs = req.getObject()?.toJavaScript() ?? {};
    const provider = inputs.__provider;
    const record = {
      type: req.getType(),
      name: req.getName(),
      urn: "",
      custom: req.getCustom(),
      parent: req.getParent(),
      inputs,
      secretPaths: secretPaths(inputs),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
      dependencies: req.getDependenciesList(),
      provider: isSecret(provider) ? provider.value : (provider ?? null),
    };
    resources.push(record);
    registerResource(req, (err, resp) => {
      if (!err) record.urn = resp.getUrn();
      callback(err, resp);
    });
  };

  const exported = requireHere(program);
  if (typeof exported === "function") await exported();
  await pulumi.runtime.waitForRPCs();
  if (failed) throw new Error("the program failed (see above)");
  process.stdout.write(`\n${MARKER}${JSON.stringify({ resources })}\n`);
}

main().catch((err) => {
  fail(err);
  process.exitCode = 1;
});
