import fc from 'fast-check';
import { displayValue, jsonValue, visible } from '../src/value-format';
import { formatExpanded, formatTable } from '../src/table-format';

/* How the shell prints values: typed as psql types them, and never a character a terminal would obey. */

// C0/C1 controls but the line break, and the bidi overrides and marks a terminal would reorder text by
const OBEYED = /(?!\n)[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

test('any text prints without a character the terminal would obey; text without one prints unchanged', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (text) => {
      const shown = displayValue(text, undefined, '∅');
      expect(shown).not.toMatch(OBEYED);
      if (!OBEYED.test(text)) expect(shown).toBe(text);
      expect(visible(text)).toBe(shown);
    }),
  );
});

test('JSON values and column names print safely too, in tables and expanded', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), { minKeys: 1 }), (row) => {
      expect(displayValue(row, 'json', '∅')).not.toMatch(OBEYED);
      expect(formatTable([row])).not.toMatch(OBEYED);
      expect(formatExpanded([row])).not.toMatch(OBEYED);
    }),
    { numRuns: 200 },
  );
});

test('a datetime column shows its UTC instant with +00, the fraction without trailing zeros; --json as ISO 8601', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
      (date) => {
        const iso = date.toISOString();
        const sqlite = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`; // the UTC text the driver's rows carry
        const shown = displayValue(sqlite, 'datetime', '∅');
        expect(shown).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d*[1-9])?\+00$/);
        expect(new Date(`${shown.replace(' ', 'T').replace('+00', '')}Z`).getTime()).toBe(date.getTime());
        expect(jsonValue(sqlite, 'datetime')).toBe(iso);
      },
    ),
  );
  expect(displayValue('2024-01-31 12:00:00.120', 'datetime', '∅')).toBe('2024-01-31 12:00:00.12+00');
  expect(displayValue('2024-01-31 12:00:00.000', 'datetime', '∅')).toBe('2024-01-31 12:00:00+00');
  // a text column that happens to look like a timestamp is text: only the column's kind decides
  expect(displayValue('2024-01-31 12:00:00.000', 'string', '∅')).toBe('2024-01-31 12:00:00.000');
});

test('booleans as t/f (true/false in JSON), NULL as the null text, expressions as SQLite returns them', () => {
  expect([displayValue(1, 'boolean', '∅'), displayValue(0, 'boolean', '∅'), displayValue(null, 'boolean', '∅')]).toEqual(['t', 'f', '∅']);
  expect([jsonValue(1, 'boolean'), jsonValue(0, 'boolean'), jsonValue(null, 'boolean')]).toEqual([true, false, null]);
  expect(displayValue(1, undefined, '∅')).toBe('1');
  expect(displayValue(null, undefined, '(null)')).toBe('(null)');
  expect(jsonValue(2n ** 64n, undefined)).toBe('18446744073709551616');
});
