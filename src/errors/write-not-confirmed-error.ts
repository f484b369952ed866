import { WhatsAppError } from "./whatsapp-error";

/** After writing, the provider list did not show what was written (a concurrent writer, a lost update). */
export class WriteNotConfirmedError extends WhatsAppError {
  readonly botId: string;
  readonly providerName: string;

  constructor(botId: string, providerName: string, attempts: number, seen: string) {
    super(
      "ERR_WHATSAPP_WRITE_NOT_CONFIRMED",
      `Bot ${botId}: after ${attempts} writes of media provider "${providerName}" the provider list still ${seen}. Something else is changing this bot's providers at the same time; stop it and run again.`,
    );
    this.botId = botId;
    this.providerName = providerName;
  }
}
