const alasql = require('alasql');
const seen = {};
function walk(n, d=0) {
  if (Array.isArray(n)) return n.forEach(x => walk(x, d));
  if (!n || typeof n !== 'object') return;
  const c = n.constructor && n.constructor.name;
  seen[c] = seen[c] || new Set();
  for (const [k, v] of Object.entries(n)) { if (v !== undefined) seen[c].add(k + ':' + (v && v.constructor ? v.constructor.name : typeof v)); walk(v, d+1); }
}
const sqls = process.argv.slice(2);
for (const s of sqls) { try { walk(alasql.parse(s)); } catch (e) { console.log('PARSE ERR', s, e.message.split('\n')[0]); } }
for (const [c, ks] of Object.entries(seen)) console.log(c, [...ks].join(' '));
