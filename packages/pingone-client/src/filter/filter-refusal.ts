import { PingOneApiError } from '../errors';
import type { FilterCell } from './filter-cells';

/**
 * PingOne refusing a filter, as the client recognises it: 400 with a detail whose code is INVALID_FILTER or whose
 * target is `filter` (pingone-api.md §6; the top-level code, INVALID_DATA or INVALID_REQUEST, is not relied on).
 * `pingone-conformance` records a tenant's real body, so this reading can be checked.
 */
export interface FilterRefusal {
  readonly status: number;
  readonly apiCode: string | undefined;
  /** PingOne's detail message (it may name the attribute and operator) */
  readonly message: string;
  readonly supportedAttributes: readonly string[] | undefined;
  readonly supportedOperators: readonly string[] | undefined;
}

const strings = (value: unknown): readonly string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;

export function filterRefusalOf(error: unknown): FilterRefusal | undefined {
  if (!(error instanceof PingOneApiError) || error.status !== 400) return undefined;
  const detail = error.details.find((d) => d.code === 'INVALID_FILTER' || d.target === 'filter');
  if (!detail) return undefined;
  return {
    status: error.status,
    apiCode: error.apiCode,
    message: detail.message,
    supportedAttributes: strings(detail.innerError?.supportedAttributes),
    supportedOperators: strings(detail.innerError?.supportedOperators),
  };
}

/** Whether a message names `word` as a token (quoted, or between non-word characters). */
function names(message: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.])${escaped}($|[^\\w.])`).test(message);
}

/**
 * Which of a refused filter's cells PingOne refused. Candidates are the cells not yet seen accepted; the refusal's
 * supported lists and its message narrow them to the one it names. When it names none, a single weak candidate is
 * taken (strong cells are refused far less plausibly), else a single candidate; otherwise every weak candidate (or
 * every candidate) with `certain: false`, since the answer can't tell them apart.
 */
export function refusedCells(
  cells: readonly FilterCell[],
  refusal: FilterRefusal,
  accepted: (key: string) => boolean,
): { cells: FilterCell[]; certain: boolean } {
  const candidates = cells.filter((c) => !accepted(c.key));
  if (candidates.length === 0) return { cells: [...cells], certain: false };
  const { supportedAttributes: attrs, supportedOperators: ops, message } = refusal;
  const bySupported =
    attrs === undefined
      ? []
      : candidates.filter(
          (c) =>
            c.attribute !== undefined &&
            (!attrs.includes(c.attribute) || (ops !== undefined && c.operator !== undefined && !ops.includes(c.operator))),
        );
  if (bySupported.length === 1) return { cells: bySupported, certain: true };
  const byMessage = candidates.filter((c) =>
    c.attribute !== undefined
      ? names(message, c.attribute) && (c.operator === undefined || names(message, c.operator))
      : /memberOfGroups/.test(message) && c.key.startsWith('memberOfGroups'),
  );
  if (byMessage.length === 1) return { cells: byMessage, certain: true };
  const pool = byMessage.length > 1 ? byMessage : bySupported.length > 1 ? bySupported : candidates;
  const weak = pool.filter((c) => c.weak);
  if (weak.length === 1) return { cells: weak, certain: true };
  if (pool.length === 1) return { cells: pool, certain: true };
  return { cells: weak.length > 0 ? weak : pool, certain: false };
}
