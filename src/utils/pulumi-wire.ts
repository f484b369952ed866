// Constants of Pulumi's property wire format (sdk/nodejs/runtime/rpc.ts; the same in every
// language's SDK, as the engine reads them). `@pulumi/pulumi/runtime` exports them too, but
// loading it loads the whole runtime, about a second of the plugin's start, for three strings;
// a unit test checks these against the installed SDK's.

/** The string that stands, during preview, for a value that is not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The key that marks an object as one of the wire format's special values. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** The value of {@link SIG_KEY} in a secret: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
