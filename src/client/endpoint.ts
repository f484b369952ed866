import { ConfigurationError } from "../errors/configuration-error";
import { httpUrlProblem } from "../types/http-url";
import { isRegion, REGION_BASE_URLS, REGIONS } from "../types/regions";

/** Where a bot's API lives: a region, or a base URL that overrides it. */
export interface EndpointOptions {
  /** `us1` or `eu1`. */
  region?: string | undefined;
  /** Any base URL (a proxy, the emulator); wins over `region`. */
  baseUrl?: string | undefined;
}

/** The base URL for a bot, without a trailing slash. */
export function resolveBaseUrl({ region, baseUrl }: EndpointOptions): string {
  if (baseUrl) {
    const problem = httpUrlProblem(baseUrl);
    if (problem !== undefined) {
      throw new ConfigurationError(
        `baseUrl ${problem}; give one like https://eu1.whatsapp.api.sinch.com (the API token goes in apiToken).`,
      );
    }
    return new URL(baseUrl).href.replace(/\/+$/, "");
  }
  if (!region) {
    throw new ConfigurationError(
      `No API endpoint: set region (${REGIONS.join(" or ")}) or baseUrl, as an input, as stack config whatsapp:region / whatsapp:baseUrl, or as WHATSAPP_REGION / WHATSAPP_BASE_URL.`,
    );
  }
  if (!isRegion(region)) {
    throw new ConfigurationError(`Unknown region "${region}": use ${REGIONS.join(" or ")}, or give baseUrl.`);
  }
  return REGION_BASE_URLS[region];
}
