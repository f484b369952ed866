import { WhatsAppError } from "./whatsapp-error";

/** A setting is missing or wrong (bot id, token, region, base URL). */
export class ConfigurationError extends WhatsAppError {
  constructor(message: string) {
    super("ERR_WHATSAPP_CONFIGURATION", message);
  }
}
