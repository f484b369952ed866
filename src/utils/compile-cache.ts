import { enableCompileCache } from "node:module";

/**
 * Keeps V8's compiled code of the modules loaded from now on in Node's on-disk compile cache
 * (Node 22.1 and later; `NODE_COMPILE_CACHE` moves it, `NODE_DISABLE_COMPILE_CACHE=1` turns it
 * off). Pulumi starts a fresh provider process for every command, so every start after the first
 * skips compiling zod, undici and this package. Called only in provider processes, never in a
 * user's program. Never throws: a cache that cannot be used is only slower.
 */
export function cacheCompiledCode(): void {
  enableCompileCache?.();
}
