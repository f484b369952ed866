import { WhatsAppError } from "./whatsapp-error";

/** An id given to import or look up a provider (`pulumi import`, `MediaProvider.get`) is not `<botId>/<name>`. */
export class InvalidIdError extends WhatsAppError {
  /** The id as given. */
  readonly resourceId: string;

  /** `problem`, when given, says which part is wrong (a sentence without its final period). */
  constructor(resourceId: string, problem?: string) {
    const why = problem === undefined ? "" : ` (${problem})`;
    super(
      "ERR_WHATSAPP_INVALID_ID",
      `${JSON.stringify(resourceId)} is not the id of a MediaProvider${why}: use "<botId>/<name>", the bot's id and the provider's name (for example "my-bot/media_bucket"). Nothing was sent.`,
    );
    this.resourceId = resourceId;
  }
}
