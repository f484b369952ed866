import { ConfigurationError } from "../errors/configuration-error";
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
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new ConfigurationError(
        `baseUrl "${baseUrl}" is not a valid URL; give one like https://eu1.whatsapp.api.sinch.com.`,
      );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new ConfigurationError(`baseUrl "${baseUrl}" must use http or https.`);
    }
    if (url.username || url.password) {
      throw new ConfigurationError(
        "baseUrl must not contain credentials; give the API token as apiToken instead.",
      );
    }
    return url.href.replace(/\/+$/, "");
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
