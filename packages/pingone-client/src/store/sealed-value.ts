import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for what this project keeps in a store other processes can reach (Redis): the shared worker token and
 * the driver's cached responses. `aad` binds a sealed value to where it is stored (its Redis key), so a ciphertext
 * copied to another key fails its authentication tag like a forged or altered one.
 */
export function sealValue(key: Buffer, aad: string, text: string, version: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [version, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** The text of a value `sealValue` stored under `aad` with `key`; undefined when it was not (forged, altered, moved, another key). */
export function openSealedValue(key: Buffer, aad: string, stored: string, version: string): string | undefined {
  const [given, iv, tag, body, extra] = stored.split('.');
  if (given !== version || !iv || !tag || !body || extra !== undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
