/**
 * The dynamic provider of MediaProvider: what runs in the provider process. These exports are
 * the provider object itself, so Pulumi serializes it as one `require("pulumi-sinch-whatsapp/provider")`
 * line instead of inlining code into every resource's state.
 *
 * @packageDocumentation
 */
export { check } from "./check";
export { configure } from "./configure";
export { create } from "./create";
export { deleteProvider as delete } from "./delete";
export { diff } from "./diff";
export { read } from "./read";
export { update } from "./update";
