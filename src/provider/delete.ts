import { connect } from "./connection";
import type { Outputs } from "./outputs";
import { deleteConfirmed } from "./write";

/** Deletes the provider by name; one already gone is not an error. */
export async function deleteProvider(_id: string, props: Outputs): Promise<void> {
  await deleteConfirmed(await connect(props), props.name);
}
