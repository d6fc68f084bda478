import fc from 'fast-check';

/** Any value at all, the odd ones often. */
export const oddValue = fc.oneof(
  fc.anything({
    withBigInt: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
    withSparseArray: true,
    withBoxedValues: true,
    withNullPrototype: true,
    withObjectString: true,
    maxDepth: 2,
  }),
  fc.bigInt(),
  fc.constant(Symbol('option')),
  fc.constant(() => 'a function'),
  fc.constantFrom(Number.NaN, Infinity, -1, 0, 1e300, '', ' ', 'memory', 'redis://127.0.0.1:1', true, false, null),
);

/** `base` with each path set to its value (intermediate objects created, or replaced when they are not objects). */
export function withValues(base: Record<string, unknown>, entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [path, value] of entries) {
    const parts = path.split('.');
    let at: Record<string, unknown> = out;
    for (const part of parts.slice(0, -1)) {
      const next = at[part];
      at[part] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...next } : {};
      at = at[part] as Record<string, unknown>;
    }
    at[parts.at(-1)!] = value;
  }
  return out;
}
