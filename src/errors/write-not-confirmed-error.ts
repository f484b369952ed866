import { WhatsAppError } from "./whatsapp-error";

/**
 * After writing again and again for the whole repair budget, the provider list still did not show
 * what was written (a concurrent writer, or an API that keeps losing the update).
 */
export class WriteNotConfirmedError extends WhatsAppError {
  readonly botId: string;
  readonly providerName: string;
  /** Writes made, the first included. */
  readonly writes: number;

  constructor(botId: string, providerName: string, writes: number, seconds: number, seen: string) {
    super(
      "ERR_WHATSAPP_WRITE_NOT_CONFIRMED",
      `Bot ${botId}: after ${writes} writes of media provider "${providerName}" over ${seconds} s the provider list still ${seen}. Something else is changing this bot's providers at the same time; stop it and run again.`,
    );
    this.botId = botId;
    this.providerName = providerName;
    this.writes = writes;
  }
}
