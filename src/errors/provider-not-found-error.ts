import { WhatsAppError } from "./whatsapp-error";

/** A provider imported or looked up by id (`pulumi import`, `MediaProvider.get`) is not on the bot. */
export class ProviderNotFoundError extends WhatsAppError {
  /** The bot that was asked. */
  readonly botId: string;
  /** The name that was not found. */
  readonly providerName: string;

  constructor(botId: string, name: string) {
    super(
      "ERR_WHATSAPP_NOT_FOUND",
      `Bot ${JSON.stringify(botId)} holds no media provider named ${JSON.stringify(name)}: check the id ("<botId>/<name>") and that the stack config's endpoint (whatsapp:region or whatsapp:baseUrl) is the bot's.`,
    );
    this.botId = botId;
    this.providerName = name;
  }
}
