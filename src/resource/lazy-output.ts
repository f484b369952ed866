/**
 * Defines `key` on `resource` as the Output `make` returns, made when the key is first read. For
 * outputs that are not registered properties: the SDK makes four promises, each with a stack
 * trace, for every registered property of every resource, which dominated a large program's run.
 */
export function defineLazyOutput<T>(resource: object, key: string, make: () => T): void {
  Object.defineProperty(resource, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(resource, key, { value, enumerable: true });
      return value;
    },
  });
}
