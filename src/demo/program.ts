/**
 * The demo's Pulumi program folder: `examples/basic/index.ts` with a Pulumi.yaml, a package.json
 * and a tsconfig.json, and the package installed into `node_modules` as npm would lay it out from
 * its tarball, so that the program (and Pulumi's closure serializer) sees an installed package,
 * not this repository's sources.
 *
 * It works offline: the dependencies come from a hard-linked copy of the repository's
 * `node_modules` (a plain copy where hard links are not possible), and `npm pack` only reads the
 * built `dist/`. As in `test/e2e/driver/install.ts`, the folder's path must not contain the
 * package name: @pulumi/pulumi 3.248's serializer finds a package's package.json with
 * `fullPath.indexOf(name)` and would then ignore its `exports` map.
 */
import { execFile } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The repository: `dist/demo/` or `src/demo/`, two levels down. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The npm package the program installs. */
export const PACKAGE_NAME = "pulumi-sinch-whatsapp";
/** The Pulumi project name; `examples/basic` reads its own config as `<project>:bucketUser` etc. */
export const PROJECT_NAME = "app";
/** The example program the demo deploys. */
export const EXAMPLE_PROGRAM = path.join("examples", "basic", "index.ts");

/** A prepared program folder. */
export interface ProgramFolder {
  /** The folder: the workspace's `workDir`. */
  dir: string;
  /** How `node_modules` got there. */
  mode: "hardlinked" | "copied";
  /** The packed tarball that was unpacked into `node_modules/pulumi-sinch-whatsapp`. */
  tarball: string;
}

export interface PrepareOptions {
  /** The folder to create (must not exist yet, and must not contain the package name). */
  dir: string;
  /** The repository to pack and take `node_modules` and the example from; default {@link REPO_ROOT}. */
  repoRoot?: string;
  /** Where the tarball goes; default the parent of `dir`. */
  packDestination?: string;
}

/**
 * Packs the (already built) repository and makes `dir` a Pulumi program folder that deploys the
 * basic example with the package installed from the tarball.
 */
export async function prepareProgram(options: PrepareOptions): Promise<ProgramFolder> {
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const dir = path.resolve(options.dir);
  if (dir.includes(PACKAGE_NAME)) {
    throw new Error(
      `the program folder's path must not contain "${PACKAGE_NAME}" (Pulumi's serializer would then misread the package): ${dir}`,
    );
  }
  if (!existsSync(path.join(repoRoot, "dist", "index.js"))) {
    throw new Error(`${repoRoot} is not built: run \`npm run build\` first`);
  }
  const packDestination = options.packDestination ?? path.dirname(dir);
  mkdirSync(dir, { recursive: false });

  const { stdout } = await run(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", packDestination],
    { cwd: repoRoot, maxBuffer: 64 << 20, shell: process.platform === "win32" },
  );
  const [packed] = JSON.parse(stdout) as { filename: string; name: string; version: string }[];
  if (packed === undefined) throw new Error("npm pack reported no tarball");
  const tarball = path.join(packDestination, packed.filename);

  const sdkVersion = (
    JSON.parse(
      readFileSync(path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
    ) as { version: string }
  ).version;
  writeJson(path.join(dir, "package.json"), {
    name: "whatsapp-media-demo",
    version: "0.0.0",
    private: true,
    description: `The ${EXAMPLE_PROGRAM} program, deployed by \`npm run demo\``,
    main: "index.ts",
    dependencies: {
      "@pulumi/pulumi": sdkVersion,
      [packed.name]: `file:${path.relative(dir, tarball).split(path.sep).join("/")}`,
    },
  });
  // The example's own tsconfig.json (TypeScript 5 and 6; `files` keeps ts-node to the program).
  copyFileSync(
    path.join(repoRoot, path.dirname(EXAMPLE_PROGRAM), "tsconfig.json"),
    path.join(dir, "tsconfig.json"),
  );
  writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    [
      `name: ${PROJECT_NAME}`,
      "description: Two WhatsApp media providers (the basic example), deployed by `npm run demo`",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: true",
      "",
    ].join("\n"),
  );
  copyFileSync(path.join(repoRoot, EXAMPLE_PROGRAM), path.join(dir, "index.ts"));

  // The real folder: `cp -a` would copy a symlinked node_modules as the link itself, and the
  // tarball would then be unpacked into the repository's own node_modules.
  const mode = await linkNodeModules(
    realpathSync(path.join(repoRoot, "node_modules")),
    path.join(dir, "node_modules"),
  );
  const target = path.join(dir, "node_modules", packed.name);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  return { dir, mode, tarball };
}

/** Hard-links `from` to `to` (`cp -al`), or copies it where the file system refuses. */
async function linkNodeModules(from: string, to: string): Promise<ProgramFolder["mode"]> {
  try {
    await run("cp", ["-al", from, to]);
    return "hardlinked";
  } catch {
    rmSync(to, { recursive: true, force: true });
  }
  try {
    await run("cp", ["-r", from, to]);
  } catch {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
  return "copied";
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
