import fc from 'fast-check';
import { canonical, canonicalPairs, startDifferential, type Differential } from '../differential/differential-harness';
import { semanticQuery } from './semantic-generators';
let d: Differential;
beforeAll(async () => { d = await startDifferential(); }, 60_000);
afterAll(async () => { await d?.close(); });
test('scan', () => {
  const qs = fc.sample(semanticQuery, { seed: Number(process.env.SEED ?? 5), numRuns: Number(process.env.N ?? 3000) });
  const bad: string[] = [];
  for (const q of qs) {
    let e: string; let a: string;
    try { e = JSON.stringify(canonicalPairs(d.oraclePairs(q.sql, []), true)); } catch (x) { e = 'ERR ' + (x as Error).message; }
    try { a = JSON.stringify(canonical(d.local(q.sql, []), true)); } catch (x) { a = 'ERR ' + (x as Error).message; }
    if (e.startsWith('ERR') && a.startsWith('ERR')) continue;
    if (e !== a) bad.push(`${q.class}\n  ${q.sql}\n  sqlite ${e.slice(0, 400)}\n  driver ${a.slice(0, 400)}`);
  }
  console.log(`${bad.length} of ${qs.length}\n` + bad.slice(0, Number(process.env.SHOW ?? 25)).join('\n'));
});
