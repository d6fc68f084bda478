import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Tokens of an interactive sign-in, kept between runs so a later run refreshes instead of signing in again. */
export interface StoredTokens {
  readonly accessToken?: string;
  readonly accessTokenExpiresAt?: number;
  readonly refreshToken?: string;
}

export interface TokenStore {
  load(): StoredTokens | undefined;
  save(tokens: StoredTokens): void;
  clear(): void;
}

export class MemoryTokenStore implements TokenStore {
  #tokens: StoredTokens | undefined;
  load(): StoredTokens | undefined {
    return this.#tokens;
  }
  save(tokens: StoredTokens): void {
    this.#tokens = tokens;
  }
  clear(): void {
    this.#tokens = undefined;
  }
}

/**
 * A JSON file readable only by its owner (0600), like the seed connector's OAuthSettingsLocation. Written to a
 * temporary file and renamed, so a crash never leaves half a file.
 */
export class FileTokenStore implements TokenStore {
  constructor(readonly path: string) {}

  load(): StoredTokens | undefined {
    if (!existsSync(this.path)) return undefined;
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as StoredTokens;
    } catch {
      return undefined; // unreadable settings mean "sign in again", never a crash
    }
  }

  save(tokens: StoredTokens): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(tokens), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }

  clear(): void {
    if (existsSync(this.path)) writeFileSync(this.path, '{}', { mode: 0o600 });
  }
}
