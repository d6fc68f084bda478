import { createHmac } from 'node:crypto';
import { openSealedValue, sealValue } from '../store/sealed-value';
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

  /**
   * The Redis key for a worker app: an HMAC (under the app's key) of its token URL, client id and secret. Neither is
   * stored in clear, and a process holding the key but another secret (one PingOne refuses) never finds the token.
   */
  static keyFor(prefix: string, tokenUrl: string, clientId: string, clientSecret: string, secret: Buffer): string {
    return `${prefix}token:${createHmac('sha256', secret).update(`${tokenUrl}\n${clientId}\n${clientSecret}`).digest('base64url').slice(0, 32)}`;
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
    return sealValue(this.#secret, this.#key, JSON.stringify(token), VERSION);
  }

  #open(stored: string): SharedToken | undefined {
    const text = openSealedValue(this.#secret, this.#key, stored, VERSION);
    if (text === undefined) return undefined; // another key, or a tampered value
    try {
      const parsed = JSON.parse(text) as Partial<SharedToken>;
      return typeof parsed.value === 'string' && typeof parsed.expiresAt === 'number'
        ? { value: parsed.value, expiresAt: parsed.expiresAt }
        : undefined;
    } catch {
      return undefined;
    }
  }

  toJSON(): Record<string, unknown> {
    return { store: 'redis', encrypted: 'aes-256-gcm' };
  }
}
