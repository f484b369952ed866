/**
 * The encrypting half of the Pulumi passphrase secrets manager (see src/utils/pulumi-secrets.ts,
 * which decrypts): tests write stack files with it. Kept out of `src/`, so it does not ship.
 */
import { createCipheriv, randomBytes } from "node:crypto";
import {
  CHECK_PLAINTEXT,
  deriveKey,
  NONCE_BYTES,
  SALT_BYTES,
  unlock,
  VERSION,
} from "../../src/utils/pulumi-secrets";

function seal(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/**
 * A new `encryptionsalt` for a stack protected by `passphrase`, as `pulumi stack init` writes it:
 * `v1:<salt>:v1:<nonce>:<ciphertext>`.
 */
export function createEncryptionSalt(passphrase: string): string {
  const salt = randomBytes(SALT_BYTES);
  return `${VERSION}:${salt.toString("base64")}:${seal(deriveKey(passphrase, salt), CHECK_PLAINTEXT)}`;
}

/**
 * Encrypts a value as `pulumi config set --secret` does, for the `secure:` field of a stack file.
 * Throws when the passphrase is not the one of `encryptionSalt`.
 */
export function encryptValue(passphrase: string, encryptionSalt: string, plaintext: string): string {
  return seal(unlock(passphrase, encryptionSalt), plaintext);
}
