import { type ParseArgsConfig, parseArgs } from "node:util";
import { firstLine } from "../utils/error-text";

/** A mistake on the command line: `main` prints its message on one line and exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The flag definitions `parseFlags` takes (those of `node:util` parseArgs). */
export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

type StrictConfig<O extends FlagOptions> = {
  args: string[];
  options: O;
  strict: true;
  allowPositionals: false;
};

/** The parsed flag values, typed after their definitions. */
export type FlagValues<O extends FlagOptions> = ReturnType<typeof parseArgs<StrictConfig<O>>>["values"];

/**
 * Parses flags strictly (unknown flags and positional arguments are errors), throwing
 * {@link UsageError}. A stray positional argument is not quoted back: it may be a token.
 */
export function parseFlags<const O extends FlagOptions>(argv: string[], options: O): FlagValues<O> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      throw new UsageError("unexpected argument; this command takes only flags (see --help)");
    }
    throw new UsageError(firstLine(error));
  }
}

/** Parses a decimal integer flag value such as `8080` or `-3`. */
export function parseInteger(flag: string, value: string): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${flag} must be a whole number`);
  return Number(value);
}

/** Parses a decimal number flag value such as `0.25` or `100`. */
export function parseDecimal(flag: string, value: string): number {
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(value)) throw new UsageError(`--${flag} must be a number`);
  return Number(value);
}
