/**
 * The built package's types as a program sees them: a program folder with the package in its
 * `node_modules`, compiled with the options of Pulumi's TypeScript template (`moduleResolution:
 * node`, which ignores `exports`, so every subpath needs its `typesVersions` entry; no
 * `skipLibCheck` and no `esModuleInterop`, under which zod's own declarations do not compile).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childOutput } from "./support/child-output";

const ROOT = path.resolve(__dirname, "..");
const TEMPLATE_OPTIONS = {
  strict: true,
  noEmit: true,
  target: "es2020",
  module: "commonjs",
  moduleResolution: "node",
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
};

// The folder's name must not contain the package's name (see test/e2e/driver/install.ts).
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "types-program-"));
  mkdirSync(path.join(dir, "node_modules"));
  // dist/ is current: the unit project's global setup builds it.
  symlinkSync(ROOT, path.join(dir, "node_modules", "pulumi-sinch-whatsapp"), "dir");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles `lines` as the program's index.ts; returns what tsc printed. */
async function compile(name: string, lines: string[], options: object = {}): Promise<string> {
  writeFileSync(path.join(dir, `${name}.ts`), `${lines.join("\n")}\n`);
  writeFileSync(
    path.join(dir, `${name}.tsconfig.json`),
    JSON.stringify({ compilerOptions: { ...TEMPLATE_OPTIONS, ...options }, files: [`${name}.ts`] }),
  );
  const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
  const result = await childOutput(
    spawn(process.execPath, [tsc, "-p", `${name}.tsconfig.json`], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  return `${result.stdout}${result.stderr}exit ${result.code}`;
}

describe("the package's types under moduleResolution node", () => {
  it("compile a program importing the package with Pulumi's template options", async () => {
    const output = await compile("program", [
      'import { MediaProvider, type MediaProviderArgs } from "pulumi-sinch-whatsapp";',
      'const args: MediaProviderArgs = { config: { bearer: "token" }, verify: { url: "https://cdn/x" } };',
      'export const cdn = new MediaProvider("cdn", args);',
    ]);
    expect(output).toBe("exit 0");
  }, 120_000);

  it("resolve the /emulator and /provider subpaths", async () => {
    // skipLibCheck: this test is about finding the declarations, not about what they import.
    const output = await compile(
      "subpaths",
      [
        'import { type Emulator, startEmulator } from "pulumi-sinch-whatsapp/emulator";',
        'import * as provider from "pulumi-sinch-whatsapp/provider";',
        'export const started: Promise<Emulator> = startEmulator({ bots: { bot: "token" } });',
        "export const check: typeof provider.check = provider.check;",
      ],
      { skipLibCheck: true },
    );
    expect(output).toBe("exit 0");
  }, 120_000);
});
