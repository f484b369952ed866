import { randomBytes } from "node:crypto";
import { link, readFile, rm, writeFile } from "node:fs/promises";
import { EmulatorError } from "../errors/emulator-error";

/** A held lock on a state file: `<state file>.lock`, holding the owner's pid. */
export interface StateLock {
  /** Removes the lock file. */
  release(): Promise<void>;
}

/**
 * Locks a state file for this process, so that two emulators never overwrite each other's
 * acknowledged writes. A lock whose pid no longer runs (an emulator killed with `kill -9`) is
 * stale and taken over. Throws `ERR_WHATSAPP_EMULATOR_STATE_LOCKED` when a running process holds it.
 */
export async function lockStateFile(statePath: string): Promise<StateLock> {
  const lockPath = `${statePath}.lock`;
  // Twice: a stale lock is removed once; losing the race after that means another one runs.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createLock(lockPath)) return { release: () => rm(lockPath, { force: true }) };
    const owner = await lockOwner(lockPath);
    if (owner !== undefined && isRunning(owner)) throw lockedError(statePath, lockPath, owner);
    await rm(lockPath, { force: true });
  }
  throw lockedError(statePath, lockPath, await lockOwner(lockPath));
}

// The lock is written aside and linked into place, so it never exists without its pid.
async function createLock(lockPath: string): Promise<boolean> {
  const temp = `${lockPath}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, `${process.pid}\n`, { mode: 0o600 });
    await link(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new EmulatorError(
      "ERR_WHATSAPP_EMULATOR_STATE_FILE",
      `cannot lock state file: cannot create ${lockPath}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await rm(temp, { force: true });
  }
}

async function lockOwner(lockPath: string): Promise<number | undefined> {
  const text = await readFile(lockPath, "utf8").catch(() => "");
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockedError(statePath: string, lockPath: string, owner: number | undefined): EmulatorError {
  return new EmulatorError(
    "ERR_WHATSAPP_EMULATOR_STATE_LOCKED",
    `state file ${statePath} is in use by another emulator (pid ${owner ?? "unknown"}); stop that one or use another state file (if no emulator runs, delete ${lockPath})`,
  );
}
