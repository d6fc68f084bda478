import { performance } from 'node:perf_hooks';
import type { PingOneClient } from '@typeorm-pingone/client';
import { ATTRIBUTE_CATALOG } from '../mapping/attribute-catalog';
import { setPath } from '../mapping/row-to-attributes';
import { PingOneDriverError } from '../errors';
import type { Resource } from './remote-directory';

type Json = Record<string, unknown>;
type PutResource = 'groups' | 'populations';

/** Re-applications after the first PUT before giving up with CONCURRENT_UPDATE. */
export const MAX_REAPPLY = 4;
/** The longest wait between a PUT and its read back. */
const SETTLE_MAX_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function getPath(source: unknown, path: string): unknown {
  let current = source;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[key];
  }
  return current;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The resource minus what PingOne computes: a PUT body that clears nothing the statement didn't touch. */
function writable(resource: PutResource, current: Json): Json {
  const readOnlyTop = new Set(
    Object.entries(ATTRIBUTE_CATALOG[resource])
      .filter(([, i]) => i.readOnly)
      .map(([a]) => a.split('.')[0]),
  );
  for (const extra of ['_links', '_embedded', 'totalMemberCounts', 'checkSum']) readOnlyTop.add(extra);
  return structuredClone(Object.fromEntries(Object.entries(current).filter(([k]) => !readOnlyTop.has(k))));
}

export interface PutUpdateResult {
  /** the resource as read just before the first PUT: the before-image */
  readonly before: Resource;
  /** the resource as last read back, with this statement's changes in it */
  readonly after: Resource;
}

/**
 * Groups and populations have only a full PUT, so an UPDATE is read → modify → PUT, and two writers doing that at
 * once would each send the other's attribute back with its old value: one change lost. The read and the PUT follow
 * each other with nothing in between (the window is one round trip), and the resource is read back after the PUT,
 * one read-and-write cycle later (the time another writer that read before our PUT needs to send its own):
 * if a value this statement set is back at what it was before (another writer's PUT, built from an older read, put
 * it back), the resource moved under us, and the statement's values are applied again on that fresh read, at most
 * MAX_REAPPLY times, then CONCURRENT_UPDATE. A value another writer set to something else is theirs: on the same
 * attribute the last writer wins. `onBefore` runs with the before-image before the first PUT (the journal's intent).
 */
export async function putUpdate(
  client: PingOneClient,
  resource: PutResource,
  id: string,
  changes: ReadonlyMap<string, unknown>,
  note: (request: string) => void,
  onBefore?: (before: Resource) => Promise<void>,
): Promise<PutUpdateResult> {
  note(`GET /${resource}/${id}`);
  let started = performance.now();
  const before = (await client[resource].get(id)) as Resource;
  await onBefore?.(before);
  let base: Resource = before;
  let pending = new Map(changes);
  for (let attempt = 0; ; attempt++) {
    const body = writable(resource, base);
    for (const [path, value] of pending) setPath(body, path.split('.'), value);
    note(`PUT /${resource}/${id}${attempt > 0 ? ` (re-applied on a fresh read: the ${resource.slice(0, -1)} moved)` : ''}`);
    await client[resource].replace(id, body as never);
    // A writer that read before this PUT sends its own PUT within about one read-and-write cycle: wait that long
    // (this cycle's own duration, at most SETTLE_MAX_MS) so that its PUT, if any, lands before the read back.
    await sleep(Math.min(performance.now() - started, SETTLE_MAX_MS));
    note(`GET /${resource}/${id} (read back: did another writer overwrite this change?)`);
    started = performance.now();
    const check = (await client[resource].get(id)) as Resource;
    // Put back to the value read before this statement: an overwrite by a PUT built from an older read.
    const lost = new Map(
      [...changes].filter(([path, value]) => !same(getPath(check, path), value) && same(getPath(check, path), getPath(before, path))),
    );
    if (lost.size === 0) return { before, after: check };
    if (attempt >= MAX_REAPPLY) {
      throw new PingOneDriverError(
        'CONCURRENT_UPDATE',
        `UPDATE of ${resource} ${id}: another writer kept overwriting this change (${[...lost.keys()].join(', ')}) with older values; after ${attempt + 1} PUTs, each read back, it is still not applied. ` +
          `PingOne has only a full PUT for ${resource}, so concurrent writers of one ${resource.slice(0, -1)} race; retry when the other writer is done, or let one process own it.`,
      );
    }
    base = check;
    pending = lost;
  }
}
