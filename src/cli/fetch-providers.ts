import { createDispatcher } from "../client/dispatcher";
import { type ClientOptions, MediaProviderClient } from "../client/media-provider-client";
import type { RetryListener } from "../client/retry";
import { ENV_VARS } from "../provider/settings";
import type { MediaProviderEntry } from "../types/media-provider";
import { type FlagValues, parseDecimal, parseInteger, UsageError } from "./args";

/** The flags that bound how long a command waits for the API. */
export const REQUEST_FLAGS = {
  "max-retries": { type: "string" },
  timeout: { type: "string" },
} as const;

// A person waits at a terminal, so the command gives up sooner than the Pulumi provider (8 retries,
// backoff up to 10 s, 120 s per call): against an endpoint that is down it answers within the timeout.
const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_TIMEOUT_SECONDS = 10;
const MAX_DELAY_MS = 2_000;

/** Help lines of {@link REQUEST_FLAGS}. */
export const REQUEST_USAGE = `Requests (each retry is reported on stderr):
  --max-retries <n>            retries of a failed request (network error, 429, 5xx); default
                               whatsapp:maxRetries, ${ENV_VARS.maxRetries}, else ${DEFAULT_MAX_RETRIES}
  --timeout <seconds>          give up after this long, retries included; default
                               whatsapp:callTimeoutMs, ${ENV_VARS.callTimeoutMs} (in ms), else ${DEFAULT_TIMEOUT_SECONDS}
`;

/** How long a command waits for the API. */
export interface RequestLimits {
  /** Retries after the first attempt; undefined leaves it to the settings, else the CLI default. */
  maxRetries: number | undefined;
  /** Time for the whole call, retries included; undefined leaves it to the settings, else the CLI default. */
  timeoutMs: number | undefined;
}

/** The limits the flags set; throws a {@link UsageError} naming a wrong flag. */
export function requestLimits(flags: FlagValues<typeof REQUEST_FLAGS>): RequestLimits {
  const retries = flags["max-retries"];
  const maxRetries = retries === undefined ? undefined : parseInteger("max-retries", retries);
  if (maxRetries !== undefined && maxRetries < 0) throw new UsageError("--max-retries must be 0 or more");
  const seconds = flags.timeout === undefined ? undefined : parseDecimal("timeout", flags.timeout);
  if (seconds !== undefined && seconds <= 0)
    throw new UsageError("--timeout must be a number of seconds above 0");
  return { maxRetries, timeoutMs: seconds === undefined ? undefined : seconds * 1000 };
}

/** Reports each retry on stderr, so that a slow answer does not look like a hang. */
function reportRetries(maxRetries: number): RetryListener {
  return ({ method, path, attempt, reason, delayMs }) => {
    const wait = (delayMs / 1000).toFixed(1);
    process.stderr.write(
      `retrying ${method} ${path} in ${wait} s (${reason}), attempt ${attempt} of ${maxRetries + 1}\n`,
    );
  };
}

/**
 * The bot's providers, with each retry reported on stderr. Throws a `CallTimeoutError` when no
 * answer came within the timeout, which bounds the whole call.
 */
export async function fetchProviders(
  options: ClientOptions,
  limits: RequestLimits,
): Promise<MediaProviderEntry[]> {
  const maxRetries = limits.maxRetries ?? options.retry?.maxRetries ?? DEFAULT_MAX_RETRIES;
  const callTimeoutMs = limits.timeoutMs ?? options.callTimeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
  const dispatcher = createDispatcher({ ...options, connectTimeoutMs: callTimeoutMs });
  try {
    const client = new MediaProviderClient({
      ...options,
      dispatcher,
      callTimeoutMs,
      retry: { ...options.retry, maxRetries, maxDelayMs: MAX_DELAY_MS },
      onRetry: reportRetries(maxRetries),
    });
    return await client.list();
  } finally {
    await dispatcher.close();
  }
}
