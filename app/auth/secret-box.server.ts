import crypto from "node:crypto";
import { getEnv } from "#app/utils/env.server.ts";

/**
 * Authenticator secrets are kept encrypted (AES-256-GCM) under a key derived from SESSION_SECRET, so
 * a copy of the database alone, such as a backup, does not give them away. Each sealed value is
 * bound to its account: moved to another row, it no longer opens.
 *
 * Without SESSION_SECRET (the local demo, development and tests; a deployment cannot start without
 * it) the key comes from a fixed phrase: the demo's secrets are protected by nothing but the machine.
 */
const VERSION = "v1";
const DEMO_KEY_MATERIAL = "neverok-training: local demo instance, no SESSION_SECRET";

function key(): Buffer {
  const material = getEnv().SESSION_SECRET ?? DEMO_KEY_MATERIAL;
  return Buffer.from(crypto.hkdfSync("sha256", material, "neverok-training", "authenticator secrets v1", 32));
}

export function seal(plain: string, boundTo: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(boundTo));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The plain text, or null when it was sealed under another key, for another account, or altered. */
export function open(sealed: string, boundTo: string): string | null {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) return null;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
