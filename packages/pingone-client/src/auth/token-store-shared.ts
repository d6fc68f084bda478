import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { RedisConnection } from '../store/redis-connection';

export interface SharedToken {
  readonly value: string;
  readonly expiresAt: number;
}

const VERSION = 'v1';

/**
 * A worker token shared by every process on one Redis, so N processes fetch one token instead of N. At rest it is
 * AES-256-GCM ciphertext under a key only the app holds (Redis never sees the token, and a ciphertext copied to
 * another key fails its authentication tag); it expires in Redis when the token does. Any failure (Redis away, a
 * different key, a tampered value) reads as "no shared token": the process fetches its own.
 */
export class SharedTokenStore {
  readonly #connection: RedisConnection;
  readonly #key: string;
  readonly #secret: Buffer;

  constructor(connection: RedisConnection, key: string, secret: Buffer) {
    this.#connection = connection;
    this.#key = key;
    this.#secret = secret;
  }

  /** The Redis key for a worker app: a hash of its token URL and client id, so neither is stored in clear. */
  static keyFor(prefix: string, tokenUrl: string, clientId: string): string {
    return `${prefix}token:${createHash('sha256').update(`${tokenUrl}\n${clientId}`).digest('base64url').slice(0, 22)}`;
  }

  async load(): Promise<SharedToken | undefined> {
    if (!this.#connection.available) return undefined;
    try {
      const stored = await this.#connection.run('GET', this.#key);
      return typeof stored === 'string' ? this.#open(stored) : undefined;
    } catch {
      return undefined;
    }
  }

  async save(token: SharedToken, skewMs: number): Promise<void> {
    const ttl = Math.floor(token.expiresAt - skewMs - Date.now());
    if (ttl <= 0 || !this.#connection.available) return;
    await this.#connection.run('SET', this.#key, this.#seal(token), 'PX', ttl).catch(() => undefined);
  }

  /** PingOne refused this token: drop it for everyone, unless another process already replaced it. */
  async drop(value: string): Promise<void> {
    const current = await this.load();
    if (current?.value === value) await this.#connection.run('DEL', this.#key).catch(() => undefined);
  }

  #seal(token: SharedToken): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#secret, iv);
    cipher.setAAD(Buffer.from(this.#key));
    const body = Buffer.concat([cipher.update(JSON.stringify(token), 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  #open(stored: string): SharedToken | undefined {
    const [version, iv, tag, body] = stored.split('.');
    if (version !== VERSION || !iv || !tag || !body) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#secret, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(this.#key));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      const parsed = JSON.parse(text) as Partial<SharedToken>;
      return typeof parsed.value === 'string' && typeof parsed.expiresAt === 'number' ? { value: parsed.value, expiresAt: parsed.expiresAt } : undefined;
    } catch {
      return undefined; // another key, or a tampered value
    }
  }

  toJSON(): Record<string, unknown> {
    return { store: 'redis', encrypted: 'aes-256-gcm' };
  }
}
