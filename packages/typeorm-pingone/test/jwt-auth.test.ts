import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { startSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, Population, User } from '../src';

/*
 * A DataSource whose worker app authenticates with RFC 7523 client assertions: the `pingone` option takes the client's
 * tokenEndpointAuthMethod and key, as the client does (docs/client.md).
 */
test('PingOneDataSource with private_key_jwt (a JWK object) and with client_secret_jwt reads PingOne', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyed = await startSimulator({
    seed: 'demo',
    users: 9,
    workerAuthMethod: 'PRIVATE_KEY_JWT',
    workerJwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k' }] },
  });
  const secret = await startSimulator({ seed: 'demo', users: 4, workerAuthMethod: 'CLIENT_SECRET_JWT' });
  const sources: PingOneDataSource[] = [];
  try {
    sources.push(
      new PingOneDataSource({
        entities: [User, Group, Population],
        pingone: {
          environmentId: keyed.environmentId,
          apiUrl: keyed.apiUrl,
          authUrl: keyed.authUrl,
          clientId: keyed.credentials.clientId,
          tokenEndpointAuthMethod: 'private_key_jwt',
          privateKey: { ...privateKey.export({ format: 'jwk' }), kid: 'k' },
          rateLimit: false,
        },
      }),
    );
    sources.push(
      new PingOneDataSource({
        entities: [User, Group, Population],
        pingone: {
          environmentId: secret.environmentId,
          apiUrl: secret.apiUrl,
          authUrl: secret.authUrl,
          clientId: secret.credentials.clientId,
          clientSecret: secret.credentials.clientSecret,
          tokenEndpointAuthMethod: 'client_secret_jwt',
          rateLimit: false,
        },
      }),
    );
    for (const ds of sources) await ds.initialize();
    expect(await sources[0].getRepository(User).count()).toBe(9);
    expect(await sources[1].getRepository(User).count()).toBe(4);
    expect(JSON.stringify(sources[0])).not.toContain(String(privateKey.export({ format: 'jwk' }).d));
  } finally {
    for (const ds of sources) if (ds.isInitialized) await ds.destroy();
    await keyed.close();
    await secret.close();
  }
});
