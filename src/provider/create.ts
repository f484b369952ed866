import type { dynamic } from "@pulumi/pulumi";
import { ProviderExistsError } from "../errors/provider-exists-error";
import { verifyCredentials } from "../verification";
import { connect } from "./connection";
import type { CheckedInputs } from "./inputs";
import { toOutputs } from "./outputs";
import { resourceId } from "./provider-id";
import { holdsExactly, upsertConfirmed } from "./write";

/**
 * Creates the provider. The API silently overwrites on name reuse, so the name is looked up
 * first: absent, it is written; present with exactly the declared content, it is taken over
 * (a retried or interrupted `up`); present with other content, it fails unless `adoptExisting`.
 * A name the list holds more than once counts as taken over only when every copy is the declared
 * content: with `[other content, ours]` the other copy is not ours to overwrite without adoption.
 * With `verify`, the storage is asked first, so wrong credentials fail before anything is written.
 */
export async function create(inputs: CheckedInputs): Promise<dynamic.CreateResult> {
  const connection = await connect(inputs);
  const entry = { name: inputs.name, type: inputs.type, config: inputs.config };
  if (inputs.verify) await verifyCredentials(inputs.verify, inputs.config, inputs.name, connection.signal);
  const copies = await connection.view.get(entry.name);
  if (!holdsExactly(copies, entry)) {
    if (copies.length > 0 && !inputs.adoptExisting) throw new ProviderExistsError(inputs.botId, entry.name);
    await upsertConfirmed(connection, entry);
  }
  return { id: resourceId(inputs.botId, entry.name), outs: toOutputs(inputs, entry) };
}
