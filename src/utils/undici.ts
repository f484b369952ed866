/**
 * undici, loaded on first use. It is the largest dependency to load (90–170 ms of CPU, more on a
 * busy machine), and most processes that import this package never send a request: the Pulumi
 * program, and the provider process of a `pulumi preview` or of an `up` with nothing to change.
 */
let loaded: typeof import("undici") | undefined;

export function undici(): typeof import("undici") {
  loaded ??= require("undici") as typeof import("undici");
  return loaded;
}
