import { createHash } from "node:crypto";

/**
 * SHA-256 of a secret. Digests have one length, so `timingSafeEqual` can compare secrets of any
 * length through them.
 */
export function digest(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}
