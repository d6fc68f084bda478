import 'reflect-metadata';
import fc from 'fast-check';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn, type Relation } from 'typeorm';
import { ATTRIBUTE_CATALOG, PingOneAttribute, PingOneDataSource, PingOneDriverError, PingOneMappingError } from '../src';

/*
 * Porting entities takes one run: initialize() reports every mapping problem at once, one line each with its fix,
 * and "did you mean" speaks PingOne's vocabulary (firstName → name.given, not nickname). lazyConnect: the mapping is
 * checked without any PingOne request, so these tests need no server.
 */
async function mappingError(entities: (new (...args: never[]) => object)[]): Promise<PingOneMappingError | undefined> {
  const ds = new PingOneDataSource({
    entities,
    pingone: { environmentId: '11111111-1111-4111-8111-111111111111', clientId: 'c', clientSecret: 's' },
    lazyConnect: true,
  });
  try {
    await ds.initialize();
    await ds.destroy();
    return undefined;
  } catch (error) {
    if (error instanceof PingOneMappingError) return error;
    throw error;
  }
}

@Entity('populations')
class Team {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) name!: string;
}

@Entity('users')
class Person {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) firstName!: string;
  @Column({ type: 'varchar' }) last_name!: string;
  @Column({ type: 'varchar', nullable: true }) phone?: string;
  @Column({ type: 'varchar', nullable: true }) city?: string;
  @Column({ type: 'varchar' }) enabled!: string;
  @VersionColumn() version!: number;
  @ManyToOne(() => Team) team!: Relation<Team>;
}

test("every problem of a ported entity is in one error, one line each with its fix, in PingOne's vocabulary", async () => {
  const error = await mappingError([Person, Team]);
  expect(error).toBeInstanceOf(PingOneDriverError);
  expect(error!.code).toBe('MAPPING_ERROR');
  expect(error!.problems).toEqual([
    "Person.firstName maps to 'firstName', which PingOne users don't have (did you mean 'name.given'?): name the column after the attribute (@Column({ name: 'name.given' })) or add @PingOneAttribute('name.given') to the property.",
    "Person.last_name maps to 'last_name', which PingOne users don't have (did you mean 'name.family'?): name the column after the attribute (@Column({ name: 'name.family' })) or add @PingOneAttribute('name.family') to the property.",
    "Person.phone maps to 'phone', which PingOne users don't have (did you mean 'primaryPhone' or 'mobilePhone'?): name the column after the attribute (@Column({ name: 'primaryPhone' })) or add @PingOneAttribute('primaryPhone') to the property.",
    "Person.city maps to 'city', which PingOne users don't have (did you mean 'address.locality'?): name the column after the attribute (@Column({ name: 'address.locality' })) or add @PingOneAttribute('address.locality') to the property.",
    "Person.enabled has column type varchar, but PingOne's 'enabled' is boolean. Use a boolean column.",
    expect.stringMatching(/^Person\.version is a @VersionColumn.*@UpdateDateColumn/),
    "Person.team maps to 'team.id', which PingOne users don't have (did you mean 'population.id'?): name the column after the attribute (@JoinColumn({ name: 'population.id' })) or add @PingOneAttribute('population') to the relation.",
  ]);
  const lines = error!.message.split('\n');
  expect(lines[0]).toBe('initialize() found 7 mapping problems; each line says what to change:');
  expect(lines.slice(1, 8)).toEqual(error!.problems.map((p) => `  - ${p}`));
  // the shared context once, however many lines need it
  expect(lines.filter((l) => l.startsWith('Known attributes of users:'))).toHaveLength(1);
  expect(lines.filter((l) => /customUserAttributes/.test(l))).toHaveLength(1);
});

test('applying each suggested fix maps the entity', async () => {
  @Entity('populations')
  class Team2 {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @Column({ type: 'varchar' }) name!: string;
  }
  @Entity('users')
  class Fixed {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @Column({ type: 'varchar', name: 'name.given' }) firstName!: string;
    @PingOneAttribute('name.family') @Column({ type: 'varchar' }) last_name!: string;
    @Column({ type: 'varchar', nullable: true, name: 'primaryPhone' }) phone?: string;
    @Column({ type: 'varchar', nullable: true, name: 'address.locality' }) city?: string;
    @Column({ type: 'boolean' }) enabled!: boolean;
    @PingOneAttribute('population') @ManyToOne(() => Team2) team!: Relation<Team2>;
  }
  expect(await mappingError([Fixed, Team2])).toBeUndefined();
  @Entity('users')
  class ByJoinColumn {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @ManyToOne(() => Team2) @JoinColumn({ name: 'population.id' }) team!: Relation<Team2>;
  }
  expect(await mappingError([ByJoinColumn, Team2])).toBeUndefined();
});

test("problems of several entities and tables come together; a relation PingOne can't hold says what to declare instead", async () => {
  @Entity('groups')
  class Squad {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @Column({ type: 'varchar' }) groupName!: string;
    @Column({ type: 'simple-json', nullable: true }) metadata?: object;
  }
  @Entity('users')
  class Member {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @Column({ type: 'varchar' }) username!: string;
    @ManyToOne(() => Squad) squad!: Relation<Squad>;
  }
  @Entity('employees')
  class Employee {
    @PrimaryGeneratedColumn('uuid') id!: string;
  }
  const error = await mappingError([Squad, Member, Employee]);
  expect(error!.problems).toEqual([
    "Squad.groupName maps to 'groupName', which PingOne groups don't have (did you mean 'name'?): name the column after the attribute (@Column({ name: 'name' })) or add @PingOneAttribute('name') to the property.",
    "Squad.metadata maps to 'metadata', which PingOne groups don't have (did you mean 'customData'?): name the column after the attribute (@Column({ name: 'customData' })) or add @PingOneAttribute('customData') to the property.",
    "Member.squad maps to 'squad.id', which PingOne users don't have: a user's groups are PingOne memberships: declare @ManyToMany(() => Squad) @JoinTable() squad instead.",
    "Entity Employee uses table 'employees', which is not a PingOne resource. Use @Entity('users').",
  ]);
  expect(error!.message).toContain('Known attributes of groups: ');
  expect(error!.message).not.toContain('Known attributes of users: '); // no line about users needs the list
});

test('one problem keeps the one-line message of before (its first line is the problem)', async () => {
  @Entity('users')
  class Solo {
    @PrimaryGeneratedColumn('uuid') id!: string;
    @Column({ type: 'varchar' }) lastName!: string;
  }
  const error = await mappingError([Solo]);
  expect(error!.problems).toHaveLength(1);
  expect(error!.message.split('\n')[0]).toBe(error!.problems[0]);
  expect(error!.message).toMatch(/did you mean 'name\.family'/);
});

test('property: any set of column names gives exactly one line per name PingOne lacks, and suggests only attributes that exist', async () => {
  const known = new Set(Object.keys(ATTRIBUTE_CATALOG.users).filter((p) => !p.includes('.')));
  const name = fc
    .oneof(
      fc.stringMatching(/^[A-Za-z_$][\w$]{0,20}$/),
      fc.constantFrom(
        'constructor',
        '__proto__',
        'toString',
        'hasOwnProperty',
        'firstName',
        'phone',
        'username',
        'email',
        'title',
        'valueOf',
      ),
    )
    .filter((n) => n !== 'id');
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(name, { minLength: 1, maxLength: 6 }), async (names) => {
      class Random {
        id!: string;
      }
      PrimaryGeneratedColumn('uuid')(Random.prototype, 'id');
      for (const n of names) Column({ type: 'varchar', nullable: true })(Random.prototype, n);
      Entity('users')(Random);
      const error = await mappingError([Random]);
      const unknown = names.filter((n) => !known.has(n));
      expect(error?.problems.length ?? 0).toBe(unknown.length);
      for (const line of error?.problems ?? []) {
        expect(line).not.toContain('\n');
        for (const [, suggested] of line.matchAll(/'([^']+)'(?= or |\?)/g))
          expect(Object.keys(ATTRIBUTE_CATALOG.users)).toContain(suggested);
      }
    }),
    { numRuns: 60 },
  );
});
