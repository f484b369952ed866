import { existsSync } from "node:fs";
import * as path from "node:path";

/**
 * `PATH` without the folders that hold `command`, so that a child does not find the machine's
 * own copy (tests that want one put a stand-in first).
 */
export function pathWithout(command: string, pathValue: string = process.env.PATH ?? ""): string {
  return pathValue
    .split(path.delimiter)
    .filter((dir) => dir !== "" && !existsSync(path.join(dir, command)))
    .join(path.delimiter);
}
