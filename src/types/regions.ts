/** The regions a bot can live in, and their API hosts. */
export const REGION_BASE_URLS = {
  us1: "https://us1.whatsapp.api.sinch.com",
  eu1: "https://eu1.whatsapp.api.sinch.com",
} as const;

/** A region a bot can live in. */
export type Region = keyof typeof REGION_BASE_URLS;

/** The regions, in the order the docs list them. */
export const REGIONS = Object.keys(REGION_BASE_URLS) as Region[];

/** Whether a string names a known region. */
export function isRegion(value: string): value is Region {
  return Object.hasOwn(REGION_BASE_URLS, value);
}
