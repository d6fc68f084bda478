import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

// forceCloseConnections: Ctrl+C ends at once even with the plan page open in a browser, whose idle keep-alive or
// preconnected sockets Node's server.close() would otherwise wait on (up to its 60 s headersTimeout).
const app = await NestFactory.create(AppModule, { logger: ['error', 'warn', 'log'], forceCloseConnections: true });
app.enableShutdownHooks();
const port = Number(process.env.PORT ?? 3000);
await app.listen(port, '127.0.0.1');
// the address it listens on (with PORT=0, the port the system chose)
const url = await app.getUrl();
const mode = process.env.PINGONE_ENVIRONMENT_ID ? 'your PingOne environment' : 'an embedded PingOne simulator with demo data';
console.log(`NestJS + TypeORM on PingOne (${mode}) at ${url}
Open ${url}/ in a browser: type SQL (or pick an example) and see the rows and the plan (what PingOne evaluated, what ran locally, each request).
Try:
  curl '${url}/users?type=Contractor&limit=5'
  curl '${url}/groups'                      (each group with its population: a population group takes only its users)
  curl '${url}/users/<id from the list>'
  curl -X POST -H 'content-type: application/json' -d '{"username":"ada","email":"ada@example.com","givenName":"Ada","type":"Contractor","populationId":"<population id from /groups>"}' ${url}/users
  curl -X PATCH -H 'content-type: application/json' -d '{"description":"On call","customData":{"tier":"gold"}}' ${url}/groups/<group id>
  curl -X POST '${url}/users/<user id>/groups/<group id>'
  curl '${url}/groups/<group id>/members'
Press Ctrl+C to stop.`);
