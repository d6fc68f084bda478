const alasql = require('alasql');
let calls=[];
alasql.aggr.P1_MAX = function(v, s, stage) { calls.push([v, stage]); if (stage===3) return s ? s.m : null; const st = stage===1||!s ? {m:null} : s; if (v!=null && (st.m===null || v>st.m)) st.m=v; return st; };
const db = new alasql.Database('t');
db.exec('CREATE TABLE u (a, b, n)');
db.tables.u.data = [{a:'x',b:null,n:1},{a:'B',b:'q',n:null},{a:'a',b:'q',n:3},{a:null,b:'z',n:2}];
function run(sql, mutate) {
  const ast = alasql.parse(sql); const st = ast.statements[0]; mutate && mutate(st);
  const f = st.compile('t'); calls=[]; console.log(sql, JSON.stringify(f([])), JSON.stringify(calls));
}
const toReduce = (st) => { for (const c of st.columns) if (c.aggregatorid==='MAX') { c.aggregatorid='REDUCE'; c.funcid='P1_MAX'; if (!c.as) c.as='MAX(a)'; } };
run('SELECT MAX(a) FROM u', toReduce);
run('SELECT MAX(a) FROM u WHERE 1 = 0', toReduce);
run('SELECT b, MAX(a) FROM u GROUP BY b', toReduce);
run('SELECT b, MAX(a) FROM u WHERE 1=0 GROUP BY b', toReduce);
run('SELECT b, COUNT(*) AS c FROM u GROUP BY b HAVING MAX(a) > ?', (st)=>{ toReduce(st); const h = st.having; h.left.aggregatorid='REDUCE'; h.left.funcid='P1_MAX'; });
