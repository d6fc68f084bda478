import { PingOneDriverError } from '../errors';
import type { TableMapping } from '../mapping/table-mapping';
import { valueOf } from '../planner/pushdown';
import type { Statement } from '../sql/sql-ast';
import { insertUnlessTaken } from './upsert-race';

/**
 * repository.upsert() on PingOne's unique keys. TypeORM emits `INSERT … ON CONFLICT ("key") DO UPDATE SET "c" =
 * EXCLUDED."c", …` (or `DO NOTHING`), which PingOne has no call for: each row is looked up by its key, then updated
 * with the SET columns (PATCH/PUT of only what changes) or created. The key must be the attribute PingOne keeps
 * unique: a user's username (case-insensitively), a group's or population's name.
 */
const UNIQUE_KEY: Readonly<Record<string, string>> = { users: 'username', groups: 'name', populations: 'name' };

export interface UpsertRun {
  /** runs one statement through the driver (reads and writes as usual) */
  run(sql: string, params: readonly unknown[]): Promise<{ records: Record<string, unknown>[]; affected?: number }>;
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

type Insert = Extract<Statement, { kind: 'insert' }>;

/** `insert` is the bound statement (canonical names), with its ON CONFLICT clause. */
export async function executeUpsert(
  insert: Insert,
  params: readonly unknown[],
  mappings: ReadonlyMap<string, TableMapping>,
  ctx: UpsertRun,
): Promise<{ records: Record<string, unknown>[]; affected: number }> {
  const upsert = insert.upsert!;
  const mapping = mappings.get(insert.table);
  const keys = upsert.target;
  const key = mapping?.kind === 'resource' ? mapping.columns.find((c) => c.attribute === UNIQUE_KEY[mapping.resource]) : undefined;
  if (!mapping || mapping.kind !== 'resource' || !key || keys.length !== 1 || keys[0] !== key.column) {
    const expected =
      mapping?.kind === 'resource' && key ? `['${key.column}']` : 'the unique key (users: username; groups, populations: name)';
    throw new PingOneDriverError(
      'UNSUPPORTED_STATEMENT',
      `upsert() into '${insert.table}' on [${keys.join(', ')}]: PingOne keeps only one attribute unique per resource, so upsert works on ${expected}; nothing was sent. ` +
        'Use that conflict path, or read by your key and save().',
    );
  }
  const updates = (upsert.set ?? [])
    .map((item) => {
      // repository.upsert() writes `"c" = EXCLUDED."c"`: the row's own value; anything else is not an upsert of that row
      const v = item.value;
      if (v.k !== 'col' || v.table?.toLowerCase() !== 'excluded' || v.column !== item.column) {
        throw new PingOneDriverError(
          'UNSUPPORTED_STATEMENT',
          `upsert() into '${insert.table}': ON CONFLICT … DO UPDATE SET supports "column" = EXCLUDED."column" (what repository.upsert() writes), not another value for '${item.column}'; nothing was sent.`,
        );
      }
      return item.column;
    })
    .filter((c) => c !== mapping.idColumn);
  const records: Record<string, unknown>[] = [];
  let affected = 0;
  for (const row of insert.rows) {
    const values = insert.columns.map((column, i) => {
      const v = valueOf(row[i], params);
      if (!v.ok)
        throw new PingOneDriverError(
          'UNSUPPORTED_STATEMENT',
          `upsert() into '${insert.table}': the value of '${column}' must be a literal or a parameter.`,
        );
      return v.value;
    });
    const keyValue = values[insert.columns.indexOf(key.column)];
    if (keyValue === null || keyValue === undefined) {
      throw new PingOneDriverError(
        'VALIDATION_ERROR',
        `upsert() into '${insert.table}': a row has no ${key.column}, the key PingOne looks it up by; nothing was sent for it.`,
      );
    }
    // the key is the same (PingOne matched it), read-only columns can't be written
    const writable = updates.filter((c) => insert.columns.includes(c) && c !== key.column && mapping.byColumn.get(c)?.readOnly !== true);
    const read = [mapping.idColumn, ...writable.filter((c) => mapping.byColumn.get(c)?.writeOnly !== true)];
    const readKey = () =>
      ctx.run(`SELECT ${read.map(quoted).join(', ')} FROM ${quoted(insert.table)} WHERE ${quoted(key.column)} = ?`, [keyValue]);
    let found = (await readKey()).records;
    if (found[0]?.[mapping.idColumn] === undefined) {
      // unset columns stay out of the create, as PingOne omits unset attributes (TypeORM's upsert lists every column)
      const columns = insert.columns.filter((_c, i) => values[i] !== null && values[i] !== undefined);
      const rowValues = insert.columns.flatMap((c, i) => (columns.includes(c) ? [values[i]] : []));
      // another instance may create it between the read and the create: then it is updated (upsert-race.ts)
      const outcome = await insertUnlessTaken(
        () =>
          ctx.run(
            `INSERT INTO ${quoted(insert.table)} (${columns.map(quoted).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
            rowValues,
          ),
        readKey,
      );
      if ('created' in outcome) {
        records.push(...outcome.created.records);
        affected += 1;
        continue;
      }
      found = outcome.found;
    }
    const id = found[0][mapping.idColumn];
    // only what differs is sent, as save() does (write-only columns, e.g. a password, always are)
    const current = found[0];
    const set = writable.filter((c) => !(c in current) || current[c] !== values[insert.columns.indexOf(c)]);
    if (set.length > 0) {
      await ctx.run(
        `UPDATE ${quoted(insert.table)} SET ${set.map((c) => `${quoted(c)} = ?`).join(', ')} WHERE ${quoted(mapping.idColumn)} = ?`,
        [...set.map((c) => values[insert.columns.indexOf(c)]), id],
      );
      affected += 1;
    }
    records.push({ [mapping.idColumn]: id });
  }
  return { records, affected };
}
