import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { cleanEnv, packTarballs, simulatorEnv, step } from './consumer-project';

/*
 * A NestJS 11 developer's first test run, as it happens outside this repository:
 *   1. `pnpm pack` the simulator, the client and the driver (the tarballs users install);
 *   2. `nest new` (the latest @nestjs/cli 11) makes a CommonJS app with its default jest setup;
 *   3. `npm install` the tarballs, typeorm and @nestjs/typeorm from the npm registry;
 *   4. a users module on PingOne (TypeOrmModule + PingOneDataSource, PingOneExceptionFilter) and two specs;
 *   5. `npm test` and `npm run test:e2e` exactly as `nest new` set them up: jest with ts-jest and its default
 *      transformIgnorePatterns (nothing in node_modules is transformed). The generated specs run unchanged too.
 * The jest configuration (package.json "jest", test/jest-e2e.json) is checked to be byte-for-byte what `nest new`
 * wrote. The apps' PingOne is a simulator this test starts, passed in PINGONE_* variables (pingOneOptionsFromEnv).
 * Needs the npm registry (CI has it); about 1–3 minutes, most of it `npm install`.
 */
const USERS_CONTROLLER = `import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from 'typeorm-pingone';

@Controller('users')
export class UsersController {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  @Get()
  list(@Query('type') type?: string): Promise<User[]> {
    return this.users.find({ where: type ? { type } : {}, take: 20 });
  }

  @Get(':id')
  one(@Param('id') id: string): Promise<User> {
    return this.users.findOneByOrFail({ id });
  }

  @Post()
  create(@Body() body: { username: string; email?: string }): Promise<User> {
    return this.users.save(this.users.create(body));
  }
}
`;

const USERS_MODULE = `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from 'typeorm-pingone';
import { UsersController } from './users.controller';

@Module({ imports: [TypeOrmModule.forFeature([User])], controllers: [UsersController] })
export class UsersModule {}
`;

const APP_MODULE = `import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { pingOneOptionsFromEnv, PingOneDataSource, User, Group, Population } from 'typeorm-pingone';
import { PingOneExceptionFilter } from 'typeorm-pingone/nestjs';
import { AppController } from './app.controller';
import { AppService } from './app.service';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: () => ({ retryAttempts: 0 }),
      dataSourceFactory: async () =>
        new PingOneDataSource({ entities: [User, Group, Population], pingone: pingOneOptionsFromEnv() }).initialize(),
    }),
    UsersModule,
  ],
  controllers: [AppController],
  providers: [AppService, { provide: APP_FILTER, useClass: PingOneExceptionFilter }],
})
export class AppModule {}
`;

/** A unit spec under the package.json jest config (rootDir src): the packages load, the entity metadata is there. */
const UNIT_SPEC = `import { getMetadataArgsStorage } from 'typeorm';
import { User, PingOneDriverError } from 'typeorm-pingone';
import { scim } from '@typeorm-pingone/client';

describe('typeorm-pingone under the default jest config', () => {
  it('loads the driver, its entities and the client', () => {
    expect(getMetadataArgsStorage().tables.some((t) => t.target === User && t.name === 'users')).toBe(true);
    expect(new PingOneDriverError('MAPPING_ERROR', 'x').code).toBe('MAPPING_ERROR');
    expect(scim.eq('type', 'Contractor')).toBeDefined();
  });
});
`;

const E2E_SPEC = `import { Test } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { App } from 'supertest/types';
import { AppModule } from './../src/app.module';

describe('users on PingOne (e2e)', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleFixture.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('GET /users?type=Contractor lists contractors', async () => {
    const res = await request(app.getHttpServer()).get('/users?type=Contractor').expect(200);
    expect(res.body.length).toBeGreaterThan(0);
    expect(res.body.every((u: { type: string }) => u.type === 'Contractor')).toBe(true);
  });

  it('POST /users creates a user; a second one with the same username is a 409', async () => {
    const created = await request(app.getHttpServer()).post('/users').send({ username: 'nest.new.jest', email: 'nn@example.com' }).expect(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await request(app.getHttpServer()).post('/users').send({ username: 'nest.new.jest', email: 'nn2@example.com' });
    expect({ status: again.status, body: again.body }).toMatchObject({ status: 409, body: { details: [{ code: 'UNIQUENESS_VIOLATION' }] } });
  });
});
`;

describe('a fresh `nest new` NestJS 11 (CommonJS) app runs its jest tests on the packed packages, jest config unchanged', () => {
  let work: string;
  let sim: RunningSimulator | undefined;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'nest-new-jest-'));
  });
  afterAll(async () => {
    try {
      await sim?.close();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('nest new → npm install the tarballs → npm test and npm run test:e2e pass', async () => {
    const env = cleanEnv();
    const tarballs = Object.values(await packTarballs(['pingone-simulator', 'pingone-client', 'typeorm-pingone'], join(work, 'packs')));

    await step(
      'nest new (latest @nestjs/cli 11)',
      'npx',
      ['--yes', '@nestjs/cli@11', 'new', 'app', '--skip-git', '--skip-install', '--package-manager', 'npm'],
      work,
      env,
    );
    const app = join(work, 'app');
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      jest?: unknown;
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['@nestjs/core']).toMatch(/^\^11\./);
    const jestConfigs = { unit: JSON.stringify(manifest.jest), e2e: readFileSync(join(app, 'test/jest-e2e.json'), 'utf8') };
    expect(jestConfigs.e2e).toContain('ts-jest');

    await step(
      'npm install of the tarballs',
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, 'typeorm@1.1.1', '@nestjs/typeorm@11'],
      app,
      env,
    );

    mkdirSync(join(app, 'src/users'));
    writeFileSync(join(app, 'src/users/users.controller.ts'), USERS_CONTROLLER);
    writeFileSync(join(app, 'src/users/users.module.ts'), USERS_MODULE);
    writeFileSync(join(app, 'src/users/users.spec.ts'), UNIT_SPEC);
    writeFileSync(join(app, 'src/app.module.ts'), APP_MODULE);
    writeFileSync(join(app, 'test/users.e2e-spec.ts'), E2E_SPEC);

    sim = await startSimulator({ seed: 'demo', users: 30 });
    const appEnv = cleanEnv(simulatorEnv(sim));
    const unit = await step('npm test (the package.json jest config)', 'npm', ['test'], app, appEnv);
    expect(unit).toMatch(/Tests:\s+2 passed, 2 total/); // the generated app.controller.spec.ts and users.spec.ts
    const e2e = await step('npm run test:e2e (test/jest-e2e.json)', 'npm', ['run', 'test:e2e'], app, appEnv);
    expect(e2e).toMatch(/Tests:\s+3 passed, 3 total/); // the generated app.e2e-spec.ts (GET / on the full AppModule) and ours
    expect(sim.requests.api().some((r) => r.query.filter === 'type eq "Contractor"')).toBe(true);

    const after = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { jest?: unknown };
    expect({ unit: JSON.stringify(after.jest), e2e: readFileSync(join(app, 'test/jest-e2e.json'), 'utf8') }).toEqual(jestConfigs);
  }, 900_000);
});
