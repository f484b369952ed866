/**
 * The dynamic provider of MediaProvider: what runs in the provider process. These exports are
 * the provider object itself, so Pulumi serializes it as one `require("pulumi-sinch-whatsapp/provider")`
 * line instead of inlining code into every resource's state.
 *
 * Each operation loads the implementation (`./operations`, with zod and the API client) on first
 * use: the program, which only serializes this object, never loads it, and the provider process
 * turns on Node's compile cache before it does.
 *
 * @packageDocumentation
 */
import { cacheCompiledCode } from "../utils/compile-cache";

type Operations = typeof import("./operations");

let operations: Promise<Operations> | undefined;

function load(): Promise<Operations> {
  if (operations === undefined) {
    cacheCompiledCode();
    operations = import("./operations");
  }
  return operations;
}

/** Receives the whole stack config (secrets decrypted) once per provider process. */
export const configure: Operations["configure"] = async (req) => (await load()).configure(req);
/** Validates the inputs, resolves the bot id and picks the name; no network call. */
export const check: Operations["check"] = async (olds, news) => (await load()).check(olds, news);
/** Compares the stored outputs with the new inputs; no network call. */
export const diff: Operations["diff"] = async (id, olds, news) => (await load()).diff(id, olds, news);
/** Creates the provider, after looking its name up; confirms the write from the list. */
export const create: Operations["create"] = async (inputs) => (await load()).create(inputs);
/** Reads the provider from the API: refresh, and import by id. */
export const read: Operations["read"] = async (id, props) => (await load()).read(id, props);
/** Writes the new credentials; confirms the write from the list. */
export const update: Operations["update"] = async (id, olds, news) => (await load()).update(id, olds, news);
/** Deletes the provider; confirms from the list that it is gone. */
const deleteProvider: Operations["delete"] = async (id, props) => (await load()).delete(id, props);

export { deleteProvider as delete };
