import { BadRequestException, type PipeTransform } from '@nestjs/common';

/**
 * A query parameter that must be a whole number within [min, max], or absent (then `fallback`). Anything else is a
 * 400 that says what is allowed: silently using a default would let `?limit=0` or `?limit=` mean "everything".
 */
export class BoundedIntPipe implements PipeTransform<unknown, number> {
  constructor(
    private readonly name: string,
    private readonly range: { readonly min: number; readonly max: number; readonly fallback: number },
  ) {}

  transform(value: unknown): number {
    if (value === undefined) return this.range.fallback;
    const { min, max } = this.range;
    const text = typeof value === 'string' ? value.trim() : undefined;
    const n = text !== undefined && /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    const got = Array.isArray(value)
      ? `${value.length} values`
      : typeof value === 'string'
        ? `'${value}'`
        : `a value of type ${typeof value}`;
    throw new BadRequestException(
      `${this.name} must be a whole number from ${min} to ${max} (got ${got}); leave it out for ${this.range.fallback}.`,
    );
  }
}
