import * as pulumi from "@pulumi/pulumi";
import { ConfigurationError } from "../errors/configuration-error";
import {
  type AuthType,
  credentialSummary,
  type MediaProviderConfig,
  type PROVIDER_TYPE,
} from "../types/media-provider";
import type { Region } from "../types/regions";
import type { VerifyOptions } from "../types/verify-options";
import { autoName } from "./auto-name";
import { defineLazyOutput } from "./lazy-output";

// The module's exports object itself, not an `import * as` copy: Pulumi's serializer recognises
// it as an installed module and writes one require line instead of inlining the provider code.
import provider = require("../provider");

/** Basic credentials: WhatsApp downloads media with this username and password (neither empty). */
export interface BasicConfigArgs {
  basic: pulumi.Input<{
    /** The Basic username (not empty). */
    username: pulumi.Input<string>;
    /** The Basic password (not empty). */
    password: pulumi.Input<string>;
  }>;
  /** Not with `basic`: a provider has exactly one kind of credentials. */
  bearer?: never;
}

/** Bearer credentials: WhatsApp downloads media with this token (not empty). */
export interface BearerConfigArgs {
  bearer: pulumi.Input<string>;
  /** Not with `bearer`: a provider has exactly one kind of credentials. */
  basic?: never;
}

/** The inputs of a {@link MediaProvider}. */
export interface MediaProviderArgs {
  /** The bot: one path segment as it is (letters, digits and `-._~!$&'()*+,;=:@`; no `/` or `%`; not `.` or `..`). Default: stack config `whatsapp:botId`, else `WHATSAPP_BOT_ID`. Changing it replaces the provider. */
  botId?: pulumi.Input<string>;
  /** `us1` or `eu1`. Default: `whatsapp:region`, else `WHATSAPP_REGION`. */
  region?: pulumi.Input<Region>;
  /** An absolute http(s) URL without credentials (proxy, emulator); overrides any region. Default: `whatsapp:baseUrl`, else `WHATSAPP_BASE_URL`. */
  baseUrl?: pulumi.Input<string>;
  /**
   * The bot's API token (not empty), stored as a secret. Default: `whatsapp:apiToken` (set it with
   * `pulumi config set --secret`), else `WHATSAPP_API_TOKEN`; those are read at each operation,
   * so a rotated token is used by refresh and destroy too.
   */
  apiToken?: pulumi.Input<string>;
  /**
   * The provider's name, unique per bot: `A-Z`, `a-z`, `-`, `_`, at most 200 characters.
   * Default: the resource name with a suffix of letters, kept on later runs. Changing it replaces the provider.
   */
  name?: pulumi.Input<string>;
  /** `www`, the only type. */
  type?: pulumi.Input<typeof PROVIDER_TYPE>;
  /** The credentials WhatsApp uses to download media: exactly one of `basic` or `bearer`. Stored as a secret. */
  config: pulumi.Input<BasicConfigArgs | BearerConfigArgs>;
  /**
   * Take over a provider of the same name that already exists on the bot with other content,
   * overwriting it with `config`. Without it, such a create fails rather than overwrite silently.
   */
  adoptExisting?: pulumi.Input<boolean>;
  /**
   * Check the credentials against the storage before each create and update: `url` (a file on
   * the storage) is requested with exactly the credentials WhatsApp will use; a 401 or 403 fails
   * the deployment with nothing written, instead of a customer's message failing later.
   */
  verify?: pulumi.Input<VerifyArgs>;
}

/** How to check a provider's credentials against its storage. */
export interface VerifyArgs {
  /**
   * An absolute http(s) URL, without credentials in it, of a file on the storage. Credentials are
   * sent only to its origin.
   */
  url: pulumi.Input<string>;
  /** `HEAD` (default) or `GET`, for storages that refuse HEAD. */
  method?: pulumi.Input<"HEAD" | "GET">;
  /** The status that means success, a whole number from 100 to 599; default any 2xx. */
  expectStatus?: pulumi.Input<number>;
  /** Time allowed for the whole check, redirects included: 1 to 120,000 ms; default 10,000. */
  timeoutMs?: pulumi.Input<number>;
}

/** Outputs that echo an optional input: registered properties only when the program sets the input. */
const ECHOED_INPUTS = ["region", "baseUrl", "apiToken", "adoptExisting", "verify"] as const;

/** What a read registers: everything the state holds that the class declares, except what it derives. */
const STATE_KEYS = ["botId", "name", "type", "config", ...ECHOED_INPUTS] as const;

/** Keys of the outputs that hold credentials: secret in state even when given as plain strings. */
const SECRET_OUTPUTS = ["config", "apiToken"];

/**
 * A WhatsApp media provider: the Basic or Bearer credentials WhatsApp uses to download images,
 * videos and documents from your storage. Its id is `<botId>/<name>`.
 *
 * @example
 * ```ts
 * const cdn = new MediaProvider("cdn", {
 *   config: { basic: { username: "svc", password: cfg.requireSecret("cdnPassword") } },
 * });
 * ```
 */
export class MediaProvider extends pulumi.dynamic.Resource {
  /** The bot the provider belongs to. */
  declare readonly botId: pulumi.Output<string>;
  /** The provider's name, as messages refer to it in their `provider` field. */
  declare readonly name: pulumi.Output<string>;
  /** The provider's type (`www`). */
  declare readonly type: pulumi.Output<string>;
  /** The credentials (secret), as the API holds them after a refresh. */
  declare readonly config: pulumi.Output<MediaProviderConfig>;
  /** `basic` or `bearer`. */
  declare readonly authType: pulumi.Output<AuthType>;
  /** The Basic username, when the provider uses Basic authentication. */
  declare readonly username: pulumi.Output<string | undefined>;
  /** The region given as an input, if any. */
  declare readonly region: pulumi.Output<Region | undefined>;
  /** The base URL given as an input, if any. */
  declare readonly baseUrl: pulumi.Output<string | undefined>;
  /** The API token given as an input (secret), if any; tokens from stack config are never stored. */
  declare readonly apiToken: pulumi.Output<string | undefined>;
  /** The `adoptExisting` input, if given. */
  declare readonly adoptExisting: pulumi.Output<boolean | undefined>;
  /** The `verify` input, if given. */
  declare readonly verify: pulumi.Output<VerifyOptions | undefined>;

  /**
   * Reads an existing provider by id (`<botId>/<name>`) into the program, as generated Pulumi SDKs
   * do for every resource: the engine's read, through the stack config's endpoint and token. The
   * resource is not managed: `destroy` leaves the provider in place, and `refresh` reads it again.
   *
   * @example
   * ```ts
   * const existing = MediaProvider.get("existing", "my-bot/media_bucket");
   * export const existingAuth = existing.authType;
   * ```
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): MediaProvider {
    return new MediaProvider(name, undefined, { ...opts, id });
  }

  constructor(name: string, args: MediaProviderArgs, opts?: pulumi.CustomResourceOptions);
  /** Reads an existing provider by `opts.id` without arguments: what {@link MediaProvider.get} does. */
  constructor(
    name: string,
    args: undefined,
    opts: pulumi.CustomResourceOptions & { id: pulumi.Input<pulumi.ID> },
  );
  constructor(name: string, args: MediaProviderArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    // With an id the engine reads, sending the props as the state to refresh: declared args are not one.
    if (args !== undefined && opts?.id !== undefined) {
      throw new ConfigurationError(
        `MediaProvider "${name}" has both args and opts.id: give args to declare a provider, or call MediaProvider.get("${name}", id) without args to read an existing one.`,
      );
    }
    const props = args === undefined ? readProps() : declaredProps(name, args);
    super(
      provider satisfies pulumi.dynamic.ResourceProvider,
      name,
      props,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: SECRET_OUTPUTS }),
      "whatsapp",
      "MediaProvider",
    );
    // The provider stores an unset input as absent: its output is undefined once the resource is registered.
    for (const key of ECHOED_INPUTS) {
      if (!(key in props)) defineLazyOutput(this, key, () => this.urn.apply(() => undefined));
    }
    // Not secrets, though derived from the secret config (the provider's outputs hold them too).
    const summary = () => pulumi.unsecret(this.config.apply(credentialSummary));
    defineLazyOutput(this, "authType", () => summary().apply((s) => s.authType));
    defineLazyOutput(this, "username", () => summary().apply((s) => s.username));
  }
}

/** Every output the state holds, unset: a read sends no state (the provider then reads by id alone). */
function readProps(): pulumi.Inputs {
  return Object.fromEntries(STATE_KEYS.map((key) => [key, undefined]));
}

/**
 * The inputs to register. Each registered property costs the SDK four promises with stack traces,
 * so optional inputs the program leaves unset are not registered (an absent input and an undefined
 * one reach the provider alike), and the auto-name only when the name is not a plain string.
 */
function declaredProps(name: string, args: MediaProviderArgs): pulumi.Inputs {
  const props: pulumi.Inputs = {
    botId: args.botId,
    name: args.name,
    type: args.type,
    config: pulumi.secret(args.config),
  };
  for (const key of ECHOED_INPUTS) if (args[key] !== undefined) props[key] = args[key];
  if (args.apiToken !== undefined) props.apiToken = pulumi.secret(args.apiToken);
  if (typeof args.name !== "string") {
    props.autoName = autoName(name, `${pulumi.getProject()}/${pulumi.getStack()}/${name}`);
  }
  return props;
}
