import { HTTP_URL_MESSAGES, httpUrlProblem } from "../types/http-url";
import { urlForDisplay } from "./display-url";

/** Most redirects followed, all on the URL's own origin. */
export const MAX_STORAGE_REDIRECTS = 5;

/** Statuses that redirect. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Where a redirect from `current` to `location` may go: the same origin (scheme, host and port)
 * only, never from https to http, never with credentials in the URL. Returns the next URL, or
 * why the redirect must not be followed.
 */
export function checkRedirect(current: URL, location: string): { url: URL } | { refused: string } {
  if (!URL.canParse(location, current.href)) {
    return { refused: "it redirected to a Location that is not a valid URL" };
  }
  const next = new URL(location, current);
  const problem = httpUrlProblem(next.href);
  if (problem === HTTP_URL_MESSAGES.notHttp) {
    return { refused: `it redirected to a ${next.protocol.slice(0, -1)}: URL, which is not http or https` };
  }
  if (problem !== undefined) {
    return { refused: `it redirected to a URL with credentials in it (${urlForDisplay(next)})` };
  }
  if (current.protocol === "https:" && next.protocol === "http:") {
    return {
      refused: `it redirected from https to http (${urlForDisplay(next)}); following it would send the credentials unencrypted`,
    };
  }
  if (next.origin !== current.origin) {
    return {
      refused: `it redirected to another origin (${urlForDisplay(next)}); the credentials are sent only to ${current.origin}, and the storage must serve the file itself`,
    };
  }
  return { url: next };
}
