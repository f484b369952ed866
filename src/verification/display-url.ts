/** A URL as shown in messages: origin and path, without the query string (it may hold a signed token). */
export function urlForDisplay(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
