/** A copy of `object` without its undefined values: gRPC structs cannot hold them. */
export function compact<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
