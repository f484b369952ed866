import { WhatsAppError } from "./whatsapp-error";

/** A provider with the name already exists on the bot with other content, and adoption was not asked for. */
export class ProviderExistsError extends WhatsAppError {
  readonly botId: string;
  readonly providerName: string;

  constructor(botId: string, providerName: string) {
    super(
      "ERR_WHATSAPP_PROVIDER_EXISTS",
      `Bot ${botId} already has a media provider named "${providerName}" with other content, and the API would silently overwrite it. Choose another name, or set adoptExisting: true to take it over and overwrite it with the declared content.`,
    );
    this.botId = botId;
    this.providerName = providerName;
  }
}
