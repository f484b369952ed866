/**
 * The operations of the dynamic provider, as `./index` loads them on first use.
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
