import { WhatsAppError } from "./whatsapp-error";

/** The state Pulumi holds for a resource breaks the rules the provider needs to act on it safely. */
export class InvalidStateError extends WhatsAppError {
  /** The resource's id in state. */
  readonly resourceId: string;

  constructor(resourceId: string, operation: string, problem: string) {
    super(
      "ERR_WHATSAPP_INVALID_STATE",
      `The state of MediaProvider ${JSON.stringify(resourceId)} cannot be used to ${operation} it: ${problem}. Nothing was sent. Fix the resource's outputs with 'pulumi stack export' / 'pulumi stack import', or remove it from the state with 'pulumi state delete <urn>' and manage the provider by hand.`,
    );
    this.resourceId = resourceId;
  }
}
