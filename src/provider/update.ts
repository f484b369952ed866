import type { dynamic } from "@pulumi/pulumi";
import { verifyCredentials } from "../verification";
import { connect } from "./connection";
import { operationSignal } from "./context";
import type { CheckedInputs } from "./inputs";
import { toOutputs } from "./outputs";
import { validState } from "./state";
import { upsertConfirmed } from "./write";

/** Writes the declared content over the provider and returns every output (the SDK would drop missing ones). */
export async function update(id: string, _olds: unknown, news: CheckedInputs): Promise<dynamic.UpdateResult> {
  validState(id, news, "update");
  const entry = { name: news.name, type: news.type, config: news.config };
  if (news.verify) await verifyCredentials(news.verify, news.config, news.name, operationSignal());
  await upsertConfirmed(await connect(news), entry);
  return { outs: toOutputs(news, entry) };
}
