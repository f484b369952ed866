import { WhatsAppError } from "./whatsapp-error";

/** Why a provider name cannot be deleted safely through the API; one wording for every message. */
export const UNADDRESSABLE_NAME =
  "once a server decodes and normalises the request path, it would not address exactly that one provider (the name is empty, a dot segment, or holds '/', '\\', '%', a control character or trailing spaces)";

/**
 * A DELETE was refused before it was sent: its path would not address exactly one provider once a
 * server decodes and normalises it (an older API deleted the whole list on a path without a name).
 */
export class UnsafeDeleteError extends WhatsAppError {
  readonly botId: string;
  readonly providerName: string;

  constructor(botId: string, providerName: string) {
    super(
      "ERR_WHATSAPP_UNSAFE_DELETE",
      `Refused to delete media provider ${JSON.stringify(providerName)} of bot ${botId}: ${UNADDRESSABLE_NAME}. Nothing was sent. Remove this provider by hand.`,
    );
    this.botId = botId;
    this.providerName = providerName;
  }
}
