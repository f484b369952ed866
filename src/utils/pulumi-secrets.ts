import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigurationError } from "../errors/configuration-error";
import { errnoOrMessage } from "./error-text";

// The Pulumi CLI's passphrase secrets manager, as in its pkg/secrets/passphrase/manager.go and
// sdk/go/common/resource/config/crypt.go: PBKDF2-SHA256, 1,000,000 iterations over an 8-byte
// salt, gives an AES-256-GCM key; every value has its own 12-byte nonce and the GCM tag is
// appended to the ciphertext (Go's `Seal`). Values are `v1:<nonce>:<ciphertext>` in base64.
// Only decryption ships: the CLI reads stack files, and only test tooling writes them
// (test/support/pulumi-secrets.ts, which takes the format's constants from here).

/** The format's version prefix. */
export const VERSION = "v1";
const PBKDF2_ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
/** Bytes of a stack's salt. */
export const SALT_BYTES = 8;
/** Bytes of a value's nonce. */
export const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** The word the encryption salt carries encrypted, which tells a wrong passphrase from a right one. */
export const CHECK_PLAINTEXT = "pulumi";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const INCORRECT_PASSPHRASE =
  "incorrect passphrase: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to the passphrase of this stack";

// Node's base64 decoder skips bad characters silently; Go's refuses them, and so does this.
function decodeBase64(text: string, what: string): Buffer {
  if (!BASE64.test(text)) throw new ConfigurationError(`${what} is not valid base64`);
  return Buffer.from(text, "base64");
}

/** The AES-256-GCM key of a passphrase and a stack's salt. */
export function deriveKey(passphrase: string, salt: Buffer): Buffer {
  return pbkdf2Sync(passphrase, salt, PBKDF2_ITERATIONS, KEY_BYTES, "sha256");
}

/** The plaintext, or undefined when the key is not the one the value was sealed with. */
function open(key: Buffer, value: string): string | undefined {
  const parts = value.split(":");
  if (parts.length !== 3 || parts[0] !== VERSION) {
    throw new ConfigurationError("a secure value is malformed: expected v1:<nonce>:<ciphertext>");
  }
  const nonce = decodeBase64(parts[1] ?? "", "the nonce of a secure value");
  const sealed = decodeBase64(parts[2] ?? "", "the ciphertext of a secure value");
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) {
    throw new ConfigurationError("a secure value is malformed: its nonce or ciphertext is too short");
  }
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** The key of a stack, once its encryption salt shows that the passphrase is the right one. */
export function unlock(passphrase: string, encryptionSalt: string): Buffer {
  // `v1:<salt>:` then the check value, itself `v1:<nonce>:<ciphertext>`.
  const parts = encryptionSalt.split(":");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new ConfigurationError("encryptionsalt is malformed: expected v1:<salt>:v1:<nonce>:<ciphertext>");
  }
  const key = deriveKey(passphrase, decodeBase64(parts[1] ?? "", "the salt of encryptionsalt"));
  if (open(key, parts.slice(2).join(":")) !== CHECK_PLAINTEXT) {
    throw new ConfigurationError(INCORRECT_PASSPHRASE);
  }
  return key;
}

/**
 * Decrypts the `secure:` value of a stack file. Throws a {@link ConfigurationError} when the
 * passphrase is wrong, or when the value was encrypted for another stack.
 */
export function decryptValue(passphrase: string, encryptionSalt: string, value: string): string {
  const plaintext = open(unlock(passphrase, encryptionSalt), value);
  if (plaintext === undefined) {
    throw new ConfigurationError(
      "the value was not encrypted with this stack's key (was it copied from another stack?)",
    );
  }
  return plaintext;
}

/**
 * The passphrase as the Pulumi CLI finds it without a terminal: `PULUMI_CONFIG_PASSPHRASE` (even
 * empty, which is a valid passphrase), else the trimmed content of the file named by
 * `PULUMI_CONFIG_PASSPHRASE_FILE`; undefined when neither is set.
 */
export function passphraseFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const phrase = env.PULUMI_CONFIG_PASSPHRASE;
  if (phrase !== undefined) return phrase;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (!file) return undefined;
  try {
    return readFileSync(resolve(file), "utf8").trim();
  } catch (error) {
    throw new ConfigurationError(`cannot read PULUMI_CONFIG_PASSPHRASE_FILE: ${errnoOrMessage(error)}`);
  }
}
