import { EntitySchema, type EntityMetadata } from 'typeorm';
import { PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';

/*
 * Type checks of PingOneDataSource's options, so a wrong type fails where it is written (the constructor) with what
 * to write instead, not as a puzzling failure at the first query. Which options exist is checked by the caller;
 * `entities` is checked for its shape here and for its content at initialize() (checkEntityList / checkEntitiesLoaded).
 */

const LOG_LEVELS = ['query', 'schema', 'error', 'warn', 'info', 'log', 'migration'] as const;
const LOGGER_NAMES = ['advanced-console', 'simple-console', 'formatted-console', 'file', 'debug'] as const;
const LOGGER_METHODS = ['logQuery', 'logQueryError', 'logQuerySlow', 'logSchemaBuild', 'logMigration', 'log'] as const;

const refuse = (message: string): never => {
  throw new PingOneDriverError('UNSUPPORTED_OPTION', `PingOneDataSource option ${message}`);
};

/**
 * A short, secret-free description of a wrong value: its type, and the value itself only for harmless scalars.
 * Never throws (a BigInt or a Symbol is described, not converted).
 */
export function shownOption(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (typeof value === 'function')
    return `the function ${typeof value.name === 'string' && value.name !== '' ? value.name.slice(0, 40) : '(anonymous)'}`;
  if (typeof value === 'bigint') return `the BigInt ${String(value).slice(0, 30)}n`;
  if (typeof value === 'symbol') return 'a Symbol';
  if (typeof value !== 'object') return typeof value;
  const kind = isPlainObject(value) ? undefined : value.constructor?.name;
  return typeof kind === 'string' && kind !== '' ? `an object of class ${kind.slice(0, 40)}` : 'an object';
}

/** Options written as an object literal (not a Map, a Date, a class instance), of any realm (a vm context's too). */
function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}
const shown = shownOption;

// TypeORM's MixedList: an array, or an object whose values are the entries (e.g. `import * as entities`).
const isPlainList = (value: unknown): value is readonly unknown[] | Record<string, unknown> =>
  Array.isArray(value) ||
  Object.prototype.toString.call(value) === '[object Object]' ||
  Object.prototype.toString.call(value) === '[object Module]';
const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);
const listItems = (value: readonly unknown[] | Record<string, unknown>): unknown[] => (isList(value) ? [...value] : Object.values(value));

/** Checks the type of every option PingOneDataSource accepts; `options` has been checked to be an object. */
export function validateDriverOptions(options: Readonly<Record<string, unknown>>): void {
  const { entities, pingone, customUserAttributes, logging, logger, name, subscribers, maxQueryExecutionTime, synchronize } = options;

  if (entities === undefined) refuse("'entities' is missing: list the entity classes, e.g. entities: [User, Group, Population].");
  if (!isPlainList(entities)) {
    refuse(
      `'entities' is ${shown(entities)}; it must be an array of entity classes, glob strings or EntitySchemas, e.g. entities: [User, Group, Population]` +
        (typeof entities === 'function' || typeof entities === 'string'
          ? ` (wrap it in an array: entities: [${typeof entities === 'string' ? JSON.stringify(entities) : entities.name || 'MyEntity'}]).`
          : '.'),
    );
  }

  if (
    pingone === null ||
    !['object', 'string'].includes(typeof pingone) ||
    Array.isArray(pingone) ||
    (typeof pingone === 'object' && !(pingone instanceof PingOneClient) && !isPlainObject(pingone))
  ) {
    refuse(
      `'pingone' is ${shown(pingone)}; it must be client options ({ environmentId, region, clientId, clientSecret }), a pingone:// URL string, or a PingOneClient.`,
    );
  }

  if (customUserAttributes !== undefined) {
    if (!Array.isArray(customUserAttributes)) {
      refuse(
        `'customUserAttributes' is ${shown(customUserAttributes)}; it must be an array of attribute names` +
          (typeof customUserAttributes === 'string'
            ? `: write customUserAttributes: [${JSON.stringify(customUserAttributes)}].`
            : ", e.g. customUserAttributes: ['costCenter']."),
      );
    }
    const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
    (customUserAttributes as unknown[]).forEach((attribute, i) => {
      // an entry is a name, or { name, allowsContainsOperator } for attributes whose schema allows `co`
      const entry =
        typeof attribute === 'object' && attribute !== null && !Array.isArray(attribute)
          ? (attribute as Record<string, unknown>)
          : undefined;
      const name = entry ? entry.name : attribute;
      const extra = entry ? Object.keys(entry).filter((k) => k !== 'name' && k !== 'allowsContainsOperator') : [];
      if (
        typeof name !== 'string' ||
        !NAME.test(name) ||
        extra.length > 0 ||
        (entry && entry.allowsContainsOperator !== undefined && typeof entry.allowsContainsOperator !== 'boolean')
      ) {
        refuse(
          `'customUserAttributes[${i}]' is ${shown(attribute)}; each entry must be the name of a custom attribute of your user schema as PingOne spells it, ` +
            "e.g. 'costCenter', or { name: 'costCenter', allowsContainsOperator: true } when its schema allows the co operator.",
        );
      }
    });
  }

  if (logging !== undefined && typeof logging !== 'boolean' && logging !== 'all') {
    const levels = isList(logging) ? logging : undefined;
    const wrong = levels?.find((level) => !(LOG_LEVELS as readonly unknown[]).includes(level));
    if (!levels || wrong !== undefined) {
      refuse(
        `'logging' is ${shown(wrong ?? logging)}${levels ? ' in the list' : ''}; it must be true, false, 'all' or an array of ${LOG_LEVELS.map((l) => `'${l}'`).join(', ')}.`,
      );
    }
  }

  if (logger !== undefined) {
    const named = typeof logger === 'string' && (LOGGER_NAMES as readonly string[]).includes(logger);
    const custom = typeof logger === 'object' && logger !== null && !Array.isArray(logger);
    if (!named && !custom)
      refuse(
        `'logger' is ${shown(logger)}; it must be one of ${LOGGER_NAMES.map((l) => `'${l}'`).join(', ')}, or a TypeORM Logger object.`,
      );
    if (custom) {
      const wrong = LOGGER_METHODS.find(
        (method) =>
          (logger as Record<string, unknown>)[method] !== undefined && typeof (logger as Record<string, unknown>)[method] !== 'function',
      );
      if (wrong)
        refuse(
          `'logger.${wrong}' is ${shown((logger as Record<string, unknown>)[wrong])}; a TypeORM Logger's ${LOGGER_METHODS.join(', ')} are functions.`,
        );
    }
  }

  if (name !== undefined && (typeof name !== 'string' || name.trim() === ''))
    refuse(`'name' is ${shown(name)}; it must be a non-empty string (the DataSource's name), or left out.`);

  if (subscribers !== undefined) {
    if (!isPlainList(subscribers))
      refuse(
        `'subscribers' is ${shown(subscribers)}; it must be an array of subscriber classes or glob strings, e.g. subscribers: [AuditSubscriber].`,
      );
    listItems(subscribers as readonly unknown[]).forEach((subscriber, i) => {
      if (typeof subscriber !== 'function' && typeof subscriber !== 'string')
        refuse(`'subscribers[${i}]' is ${shown(subscriber)}; each entry must be a subscriber class or a glob string.`);
    });
  }

  if (
    maxQueryExecutionTime !== undefined &&
    (typeof maxQueryExecutionTime !== 'number' || !Number.isFinite(maxQueryExecutionTime) || maxQueryExecutionTime < 0)
  ) {
    refuse(
      `'maxQueryExecutionTime' is ${shown(maxQueryExecutionTime)}; it must be a number of milliseconds (>= 0) after which TypeORM logs a query as slow, e.g. 1000.`,
    );
  }

  if (synchronize !== undefined && typeof synchronize !== 'boolean')
    refuse(`'synchronize' is ${shown(synchronize)}; it must be true or false.`);
}

/**
 * At initialize(), before TypeORM builds its metadata: the list has entries, and each is something TypeORM can load.
 * TypeORM itself ignores an entry it can't use (a number, a class without @Entity) and an empty list, and the
 * mistake surfaces only at the first query as "No metadata for …".
 */
export function checkEntityList(entities: unknown): void {
  if (!isPlainList(entities)) return; // refused at construction
  const items = listItems(entities);
  if (items.length === 0) {
    throw new PingOneDriverError(
      'MAPPING_ERROR',
      "PingOneDataSource option 'entities' is empty, so no table is mapped and every query would fail. " +
        "List the entity classes, e.g. entities: [User, Group, Population] (exported by 'typeorm-pingone'), or your own @Entity('users') classes.",
    );
  }
  items.forEach((entity, i) => {
    if (typeof entity !== 'function' && typeof entity !== 'string' && !(entity instanceof EntitySchema)) {
      throw new PingOneDriverError(
        'MAPPING_ERROR',
        `PingOneDataSource option 'entities[${i}]' is ${shown(entity)}, which is not an entity. ` +
          'Each entry must be an entity class (decorated with @Entity), a glob string naming entity files, or an EntitySchema.',
      );
    }
  });
}

/** At initialize(), after TypeORM built its metadata: every listed class became an entity, and globs loaded some. */
export function checkEntitiesLoaded(entities: unknown, metadatas: readonly EntityMetadata[]): void {
  if (!isPlainList(entities)) return;
  const items = listItems(entities);
  const targets = new Set(metadatas.map((m) => m.target));
  const notEntities = items.filter((e): e is (...args: never[]) => unknown => typeof e === 'function' && !targets.has(e));
  if (notEntities.length > 0) {
    throw new PingOneDriverError(
      'MAPPING_ERROR',
      `PingOneDataSource option 'entities' lists ${notEntities.map((e) => e.name || '(anonymous class)').join(', ')}, ` +
        "which TypeORM does not know as an entity. Decorate the class with @Entity('users' | 'groups' | 'populations'), or remove it from 'entities'.",
    );
  }
  if (metadatas.length === 0) {
    const globs = items.filter((e): e is string => typeof e === 'string');
    throw new PingOneDriverError(
      'MAPPING_ERROR',
      `PingOneDataSource option 'entities' loaded no entity${globs.length ? ` (the glob(s) ${globs.map((g) => JSON.stringify(g)).join(', ')} matched no entity file)` : ''}. ` +
        'Check the paths (relative to the working directory, .js files when running a build), or list the classes themselves.',
    );
  }
}
