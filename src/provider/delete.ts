import { connect } from "./connection";
import { validState } from "./state";
import { deleteConfirmed } from "./write";

/** Deletes the provider by name; one already gone is not an error. */
export async function deleteProvider(id: string, props: unknown): Promise<void> {
  const state = validState(id, props, "delete");
  await deleteConfirmed(await connect(state), state.name);
}
