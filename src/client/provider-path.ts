/**
 * Paths of a bot's providers, and the rule that keeps a DELETE on one provider. An older release
 * of the API deleted the bot's whole provider list on `DELETE …/provision/provider` (no name), and
 * names adopted from before the 2020 rules can be anything: a name that a front end decodes,
 * trims or normalises into another path (`""`, `.`, `..`, `/`, `%2F`, a tab, trailing spaces) must
 * never be sent.
 */

/** The list path of a bot's providers (without the base URL's own path). */
export function providersPath(botId: string): string {
  return `/whatsapp/v1/${encodeURIComponent(botId)}/provision/provider`;
}

/** The path of one provider, or `undefined` when `name` would not address exactly that provider. */
export function providerPath(listPath: string, name: string): string | undefined {
  const path = `${listPath}/${encodeURIComponent(name)}`;
  return soleSegmentUnder(listPath, path) === name ? path : undefined;
}

/** Whether a provider named `name` can be deleted safely through the API (see {@link providerPath}). */
export function isAddressableName(name: string): boolean {
  return providerPath("/provider", name) !== undefined;
}

/**
 * The one segment that `path` addresses under `listPath` as a lenient front end reads both, or
 * `undefined` when it addresses the list itself, anything outside it, more than one segment, or a
 * segment holding a control character (which front ends strip or refuse).
 */
export function soleSegmentUnder(listPath: string, path: string): string | undefined {
  const list = frontEndView(listPath);
  const seen = frontEndView(path);
  if (list === undefined || seen === undefined || !seen.startsWith(`${list}/`)) return undefined;
  const segment = seen.slice(list.length + 1);
  return segment === "" || /[/\p{Cc}]/u.test(segment) ? undefined : segment;
}

/**
 * A path as the most lenient front end may route it: percent-decoded until stable, tabs and
 * newlines dropped and trailing spaces or controls trimmed (as the WHATWG URL parser does), `\`
 * taken for `/`, then dot segments removed (RFC 3986, 5.2.4). `undefined` when it cannot be decoded.
 */
function frontEndView(path: string): string | undefined {
  let decoded = path;
  for (let round = 0; ; round++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return undefined;
    }
    if (next === decoded) break;
    if (round === 4) return undefined;
    decoded = next;
  }
  const cleaned = decoded
    .replace(/[\t\n\r]/g, "")
    .replace(/\\/g, "/")
    .replace(/[\p{Cc} ]+$/u, "");
  return removeDotSegments(cleaned);
}

function removeDotSegments(path: string): string {
  const segments = path.split("/");
  const output: string[] = [];
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (segment === "." || segment === "..") {
      // The root's empty first segment stays: `..` never climbs above it.
      if (segment === ".." && output.length > 1) output.pop();
      if (last) output.push("");
    } else {
      output.push(segment);
    }
  }
  return output.join("/");
}
