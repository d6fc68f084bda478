import { createServer } from 'node:http';

// Deliberately broken, like the load test that failed before `sim.close()`: it fails and never closes its server.
test('fails with a server still listening', async () => {
  const server = createServer((_request, response) => response.end('still here'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  expect('the server was closed').toBe('it never is');
});
