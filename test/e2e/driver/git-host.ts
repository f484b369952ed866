/**
 * Git step of the e2e engine driver: a bare repository on disk standing in for the git host a Pulumi
 * git source names (`github.com/<owner>/<repo>/<folder>@v<version>`). It holds one commit, this working
 * tree's files as `git clone` would give them (the files git tracks and the new ones it does not
 * ignore, changes included: the same set as checkout.ts's `copyWorkingTree`), tagged as a release
 * is. The commit is made in the bare repository itself, so this repository's own history and objects
 * are left alone.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./install";

const run = promisify(execFile);

/** The identity and settings of the one commit, whatever the machine's git config says. */
const COMMIT_CONFIG = [
  "-c",
  "user.name=e2e",
  "-c",
  "user.email=e2e@localhost",
  "-c",
  "commit.gpgsign=false",
  "-c",
  "tag.gpgsign=false",
];

/** Makes `<dir>` a bare repository whose tag `tag` is this working tree; returns its `file://` URL. */
export async function bareRepoAtTag(dir: string, tag: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await run("git", ["init", "--quiet", "--bare", dir]);
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO_ROOT,
    maxBuffer: 64 << 20,
  });
  // A bare repository has no work tree of its own: this checkout is lent as one for `add`.
  const git = (args: string[], input?: string) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(
        "git",
        [`--git-dir=${dir}`, `--work-tree=${REPO_ROOT}`, "-c", "core.bare=false", ...COMMIT_CONFIG, ...args],
        { cwd: REPO_ROOT, stdio: [input === undefined ? "ignore" : "pipe", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr?.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve() : reject(new Error(`git ${args.join(" ")}: ${stderr}`)),
      );
      if (input !== undefined) child.stdin?.on("error", reject).end(input);
    });
  // Files the index lists but the work tree has deleted are left out, as a commit of it would.
  const files = stdout.split("\0").filter((file) => file && existsSync(path.join(REPO_ROOT, file)));
  await git(["add", "--pathspec-from-file=-", "--pathspec-file-nul"], files.join("\0"));
  await git(["commit", "--quiet", "-m", `release ${tag}`]);
  await git(["tag", tag]);
  return `file://${path.resolve(dir)}`;
}
