import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { AppModule, PINGONE_CONNECTION } from '../src/app.module.js';
import type { PingOneConnection } from '../src/pingone-connection.js';

export interface AppHarness {
  readonly app: INestApplication;
  /** the embedded simulator's connection (its store, request log and fault controls) */
  readonly pingone: PingOneConnection;
  /** closes the app (and its simulator) and gives the process its environment back */
  close(): Promise<void>;
}

/**
 * The example app as `pnpm start` runs it with no PINGONE_* variables: on an embedded simulator with `demoUsers`
 * demo users. `listen`: on a real port of 127.0.0.1 (for a browser), else initialized for supertest.
 */
export async function startApp(demoUsers: number, options: { readonly listen?: boolean } = {}): Promise<AppHarness> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('PINGONE_')) delete process.env[key];
  process.env.DEMO_USERS = String(demoUsers);
  let app: INestApplication | undefined;
  const close = async () => {
    try {
      await app?.close();
    } finally {
      process.env = saved;
    }
  };
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    // forceCloseConnections: close() ends the sockets a browser keeps open (idle keep-alive, or preconnected and never
    // used, which Node's server.close() would wait on until headersTimeout, 60 s), as main.ts does.
    app = moduleRef.createNestApplication({ logger: false, forceCloseConnections: true });
    app.enableShutdownHooks();
    if (options.listen) await app.listen(0, '127.0.0.1');
    else await app.init();
    return { app, pingone: app.get<PingOneConnection>(PINGONE_CONNECTION), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The app for a describe block: started before its tests (`started` receives it), closed after them.
 */
export function appForTests(demoUsers: number, started: (harness: AppHarness) => void, options: { readonly listen?: boolean } = {}): void {
  let harness: AppHarness | undefined;
  beforeAll(async () => {
    harness = await startApp(demoUsers, options);
    started(harness);
  }, 60_000);
  afterAll(() => harness?.close());
}
