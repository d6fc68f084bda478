import {
  FILTER_CAPABILITIES,
  isPingOneId,
  PingOneError,
  scim,
  serializeScimFilter,
  type PingOneClient,
  type ScimFilter,
} from '@typeorm-pingone/client';
import type { FilterLedger } from '../planner/filter-ledger';
import { PingOneFilterRefusedError } from '../errors';
import type { ResourceName } from '../mapping/attribute-catalog';
import type { MemberKind } from '../mapping/table-mapping';
import { halves, orChunks } from './or-chunks';
import { parallel } from './request-pool';
import type { CachedPage } from '../cache/cached-directory';
import type { ResponseCache } from '../cache/response-cache';
import { OperationReads } from './operation-reads';
import { scanPages, type ScanOptions } from './partitioned-scan';
import { collect, listPath, MAX_LIMIT, readsById, unionById } from './resource-lists';
import type { MembershipList } from './membership-lists';
import { DirectoryRequests, getPath, membershipsPath } from './directory-requests';

export type Resource = Readonly<Record<string, unknown>> & { readonly id: string };

/** A list's priority in the request pool when its next page is asked for: the pages it has left (request-pool.ts). */
export type Priority = () => number;

/** How one list is read: its priority in the pool, and the parent whose children it lists (`/users/{id}/sessions`). */
export interface PageOptions {
  readonly priority?: Priority | undefined;
  readonly parentId?: string | undefined;
}

/** One PingOne request the driver made, for EXPLAIN ANALYZE, the logger and tests. */
export interface RemoteRequest {
  readonly method: string;
  readonly path: string;
  readonly filter: string | undefined;
  /** answered by the driver's read cache: nothing was sent */
  readonly cached?: boolean;
}

/**
 * The driver's seam to PingOne: the few reads the planner needs, on the public client API only. Every request is
 * reported to `onRequest` before it is sent, so logs show it under the SQL that caused it. Whole lists and GETs go
 * through `reads` (operation-reads.ts): asked twice in one statement or one TypeORM operation, they are read once.
 */
export class RemoteDirectory {
  readonly #environments = new Map<string, RemoteDirectory>();
  /** how each read reaches PingOne: cache, pool, filter ledger (directory-requests.ts) */
  readonly #requests: DirectoryRequests;

  constructor(
    private readonly client: PingOneClient,
    private readonly onRequest: (request: RemoteRequest) => void,
    private readonly clientFor: (environment: string | undefined) => PingOneClient = () => client,
    /** the driver's read cache; undefined when off and inside a transaction */
    private readonly cache?: ResponseCache,
    /** what the DataSource learned of PingOne's filter support: probes weak cells, turns refusals into re-plans */
    private readonly ledger?: FilterLedger,
    private readonly reads: OperationReads = new OperationReads(),
  ) {
    this.#requests = new DirectoryRequests(client, onRequest, cache, ledger);
  }

  /** This directory sharing the reads of the TypeORM operation a statement belongs to. */
  sharing(reads: OperationReads): RemoteDirectory {
    return new RemoteDirectory(this.client, this.onRequest, this.clientFor, this.cache, this.ledger, reads);
  }

  /** The client's rate limit (requests a second), for the plan's rate bound; undefined when its limiter is off. */
  get requestsPerSecond(): number | undefined {
    return this.client.config.requestsPerSecond;
  }

  #reused(path: string, filter: string | undefined): void {
    this.onRequest({ method: 'GET', path: `${path} (already read for this operation)`, filter });
  }

  #key(resource: string, what: string): string {
    return `${this.client.environmentId} ${resource} ${what}`;
  }

  /** The same directory on the environment an entity's schema names (undefined: the configured one). */
  in(environment: string | undefined): RemoteDirectory {
    if (environment === undefined) return this;
    let directory = this.#environments.get(environment);
    if (!directory) {
      const client = this.clientFor(environment);
      directory = new RemoteDirectory(
        client,
        (r) => this.onRequest({ ...r, path: `${r.path} [environment ${client.environmentId}]` }),
        undefined,
        this.cache,
        this.ledger,
        this.reads,
      );
      this.#environments.set(environment, directory);
    }
    return directory;
  }

  /** Pages of a filtered list. The consumer may stop early; no further page is fetched then. */
  listPages(
    resource: ResourceName,
    filter: ScimFilter | undefined,
    limit: number,
    options: PageOptions = {},
  ): AsyncGenerator<CachedPage<Resource>> {
    return this.#requests.pages(resource, filter, limit, options);
  }

  /**
   * Every item of a filtered list, read once per operation (`reads`). A long OR that the client would split into
   * parts sent one after another is split here and its parts are sent at the same time (through the shared pool);
   * items are de-duplicated by id. A whole list of users (or one given `options`, a group's members) is a scan that
   * may be read as partitions at the same time (partitioned-scan.ts).
   */
  listAll(resource: ResourceName, filter: ScimFilter | undefined, limit: number, options?: ScanOptions): Promise<Resource[]> {
    const text = filter ? serializeScimFilter(filter) : undefined;
    const { items, reused } = this.reads.list(this.#key(resource, text ?? ''), async () => {
      const parts = filter ? this.parts(resource, filter, limit) : [undefined];
      const scanned = parts.length === 1 && resource === 'users' && (options !== undefined || filter === undefined);
      const list = scanned
        ? await collect(this.scan(resource, parts[0], limit, options))
        : unionById(await parallel(parts.map((part) => () => this.#readPart(resource, part, limit))));
      this.reads.remember(this.client.environmentId, resource, list);
      return list;
    });
    if (reused) this.#reused(listPath(resource), text);
    return items;
  }

  /** A resource this operation read already (no request). */
  known(resource: ResourceName, id: string): Resource | undefined {
    return this.reads.known(this.client.environmentId, resource, id);
  }

  /** The items of a list this operation read completely, if it did (no request). */
  complete(resource: ResourceName, filter: ScimFilter | undefined): readonly Resource[] | undefined {
    return this.reads.settled<Resource[]>(this.#key(resource, filter ? serializeScimFilter(filter) : ''));
  }

  /**
   * Every page of a list; users as partitions read at the same time when that shortens the critical path
   * (partitioned-scan.ts), pages then arriving partition by partition. Not kept in `reads`: for readers that drop
   * each page once decoded.
   */
  scan(
    resource: ResourceName,
    filter: ScimFilter | undefined,
    limit: number,
    options: ScanOptions = {},
  ): AsyncGenerator<CachedPage<Resource>> {
    if (resource !== 'users') return this.listPages(resource, filter, limit);
    return scanPages(
      {
        pages: (part, priority) => this.listPages('users', part, limit, { priority }),
        populations: () => this.listAll('populations', undefined, MAX_LIMIT),
        populationsRead: () => this.complete('populations', undefined) !== undefined,
        owner: this.client,
      },
      filter,
      options,
    );
  }

  /**
   * Resources by id: those this operation already read, and one request (or one OR of ids, in parts sent at the same
   * time) for the others. Should PingOne refuse `id eq` (it never has: Ping's Terraform provider relies on it), every
   * page is read and the ids are picked locally, so the statement still answers.
   */
  async byIds(resource: ResourceName, ids: readonly string[]): Promise<Resource[]> {
    const known: Resource[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const item = this.reads.known(this.client.environmentId, resource, id);
      if (item) known.push(item);
      else missing.push(id);
    }
    if (known.length > 0) this.#reused(listPath(resource), `${known.length} id(s)`);
    if (missing.length === 0) return known;
    const caps = FILTER_CAPABILITIES[resource];
    const orOfIds = caps.attributes.id?.includes('eq') === true && (missing.length === 1 || caps.logicalOperators.includes('or'));
    if (readsById(resource) && (missing.length === 1 || !orOfIds)) {
      // one GET per id (at the same time) where PingOne reads one by id and has no OR of ids
      const read = await parallel(missing.map((id) => () => this.get(resource, id)));
      return [...known, ...read.filter((r): r is Resource => r !== undefined)];
    }
    if (!orOfIds) return [...known, ...(await this.#picked(resource, missing))];
    try {
      return [...known, ...(await this.listAll(resource, scim.or(...missing.map((id) => scim.eq('id', id))), MAX_LIMIT))];
    } catch (error) {
      if (!(error instanceof PingOneFilterRefusedError)) throw error;
      return [...known, ...(await this.#picked(resource, missing))];
    }
  }

  /** Where PingOne has no filter of ids (or refused it): the whole list, the ids picked locally (roles: two lists). */
  async #picked(resource: ResourceName, ids: readonly string[]): Promise<Resource[]> {
    const wanted = new Set(ids);
    return (await this.listAll(resource, undefined, MAX_LIMIT)).filter((r) => wanted.has(r.id));
  }

  /**
   * Every page of one part. When a later page's URL (the first page's, with PingOne's cursor added) is over the
   * request-size budget after all, the part is read again as two halves of its OR list: slower, but never an error
   * the statement could have avoided.
   */
  async #readPart(resource: ResourceName, part: ScimFilter | undefined, limit: number): Promise<Resource[]> {
    const items: Resource[] = [];
    let pages = 0;
    try {
      for await (const page of this.listPages(resource, part, limit)) {
        pages++;
        items.push(...page.items);
      }
      return items;
    } catch (error) {
      const split = pages > 0 && part && error instanceof PingOneError && error.code === 'REQUEST_TOO_LARGE' ? halves(part) : undefined;
      if (!split) throw error;
      return unionById(await parallel(split.map((half) => () => this.#readPart(resource, half, limit))));
    }
  }

  /** The filters, each fitting one request URL, that `listAll` sends for `filter` (the planner compares their count). */
  parts(resource: ResourceName, filter: ScimFilter, limit: number): ScimFilter[] {
    const base = `${this.client.config.apiUrl}/environments/${this.client.environmentId}${listPath(resource)}?limit=${limit}&filter=`
      .length;
    return orChunks(filter, base, this.client.config.maxUrlLength);
  }

  /**
   * GET by id (once per operation); a missing resource is an empty result, as in SQL, and so is a value that can't be
   * an id (no request).
   */
  async get(resource: ResourceName, id: string, include?: string): Promise<Resource | undefined> {
    if (!isPingOneId(id)) return undefined;
    if (!readsById(resource)) return (await this.byIds(resource, [id]))[0];
    const path = getPath(resource, id, include);
    const { items, reused } = this.reads.list(this.#key(resource, path), async () => {
      const one = await this.#requests.get(resource, id, include);
      if (one) this.reads.remember(this.client.environmentId, resource, [one]);
      return one;
    });
    if (reused) this.#reused(path, undefined);
    return items;
  }

  /**
   * The group memberships of one user (or, for `member: 'groups'`, the groups one group is nested in), once per
   * operation, with their types (DIRECT, INDIRECT) and the groups' documents (`expand=group`: each membership embeds
   * its group, OpenAPI GroupMembership._embedded.group), so a statement that then reads those groups needs no request.
   */
  async membershipsOf(member: MemberKind, id: string): Promise<MembershipList> {
    if (!isPingOneId(id)) return { memberships: [], groups: [] };
    const path = membershipsPath(member, id);
    const { items, reused } = this.reads.list(this.#key(member, path), () => this.#requests.memberships(member, id));
    if (reused) this.#reused(path, undefined);
    return items;
  }
}

/** `memberOfGroups[id eq "…" and type eq "DIRECT"]`, the users (or groups) directly in one group. */
export function directMembersFilter(groupId: string): ScimFilter {
  return scim.valuePath('memberOfGroups', scim.and(scim.eq('id', groupId), scim.eq('type', 'DIRECT')));
}

/** `memberOfGroups[id eq "…"]`, every user in one group: directly, through nesting or by its filter. */
export function allMembersFilter(groupId: string): ScimFilter {
  return scim.valuePath('memberOfGroups', scim.eq('id', groupId));
}

/** A write's note (`"PATCH /users/…"`) as a RemoteRequest, for the same log line format as reads. */
export function noteToRequest(note: string): RemoteRequest {
  const space = note.indexOf(' ');
  return { method: note.slice(0, space), path: note.slice(space + 1), filter: undefined };
}
