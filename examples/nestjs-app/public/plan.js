// @ts-check
/*
 * The plan page's script. Everything it shows (rows, filters, conditions, error messages) is directory data or
 * text derived from it, so it is only ever set as text (createElement + text nodes); nothing is parsed as HTML (the
 * page's Content-Security-Policy requires Trusted Types, under which assigning a string to an HTML sink throws).
 */

/** Statements to start from, on the demo data of the embedded simulator. */
const EXAMPLES = [
  {
    label: 'Contractors with an "a" in their username (one condition pushed, one local)',
    sql: "SELECT username, type, enabled, createdAt, nickname\nFROM users\nWHERE type = 'Contractor' AND lower(username) LIKE '%a%'\nORDER BY username\nLIMIT 20",
  },
  {
    label: 'Members of the Help Desk group (a join over memberships)',
    sql: "SELECT u.username, g.name AS groupName\nFROM users u\nJOIN group_memberships m ON m.userId = u.id\nJOIN groups g ON g.id = m.groupId\nWHERE g.name = 'Help Desk'\nORDER BY u.username",
  },
  { label: 'Users per type (GROUP BY runs locally)', sql: 'SELECT type, COUNT(*) AS n\nFROM users\nGROUP BY type\nORDER BY n DESC' },
  { label: 'How many users are enabled (PingOne counts them)', sql: 'SELECT COUNT(*) AS n FROM users WHERE enabled = 1' },
  {
    label: 'Groups with their population (LEFT JOIN)',
    sql: 'SELECT g.name, p.name AS population\nFROM groups g\nLEFT JOIN populations p ON p.id = g.populationId\nORDER BY g.name',
  },
  { label: 'EXPLAIN: the plan without running it', sql: "EXPLAIN SELECT * FROM users WHERE username LIKE 'ada%'" },
  { label: 'A DELETE (refused here: this page only reads)', sql: "DELETE FROM users WHERE type = 'Partner'" },
];

/**
 * An element with text children (strings become text nodes, never markup) and a class.
 * @param {string} tag
 * @param {string | null} className
 * @param {...(Node | string)} children
 */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const plural = (/** @type {number} */ n, /** @type {string} */ word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A value as the table shows it: NULL apart from any text. @param {unknown} value */
function cell(value) {
  if (value === null) return el('td', 'null', 'NULL');
  return el('td', null, typeof value === 'object' ? JSON.stringify(value) : String(value));
}

/** @param {{ columns: { name: string, attribute: string | null, kind: string | null }[], rows: unknown[][], rowCount: number, kind: string }} answer */
function renderRows(answer) {
  const table = byId('rows');
  const head = el('tr', null);
  for (const c of answer.columns) {
    const th = el('th', null, c.name);
    // a column that shows a PingOne attribute says which, and its type
    if (c.attribute) th.append(el('span', 'attribute', `${c.attribute} · ${c.kind}`));
    head.append(th);
  }
  table.querySelector('thead')?.replaceChildren(head);
  table.querySelector('tbody')?.replaceChildren(...answer.rows.map((row) => el('tr', null, ...row.map(cell))));
  const shown = answer.rows.length < answer.rowCount ? ` (the first ${answer.rows.length} shown)` : '';
  byId('row-count').textContent = `${plural(answer.rowCount, 'row')}${shown}${answer.kind === 'explain' ? ': the plan rows of EXPLAIN' : ''}`;
}

/** @param {{ sql: string, pushed: boolean }} c */
function condition(c) {
  return el('li', null, el('span', c.pushed ? 'badge pushed' : 'badge local', c.pushed ? 'PingOne' : 'local only'), el('code', null, c.sql));
}

/** @param {any} plan */
function renderSteps(plan) {
  const steps = plan.steps.map((/** @type {any} */ s) => {
    const item = el('li', 'step', el('strong', null, s.alias || '(statement)'), ` ${s.table ? `(${s.table})` : ''} · ${s.strategy}`);
    item.append(el('div', 'filter', s.filter ? 'PingOne filter: ' : 'PingOne filter: none', ...(s.filter ? [el('code', null, s.filter)] : [])));
    if (s.conditions && s.conditions.length > 0) item.append(el('ul', 'conditions', ...s.conditions.map(condition)));
    if (s.notes) item.append(el('div', 'notes', s.notes));
    return item;
  });
  byId('steps').replaceChildren(...steps);
  const localOnly = plan.steps.flatMap((/** @type {any} */ s) => (s.conditions ?? []).filter((/** @type {any} */ c) => !c.pushed).map((/** @type {any} */ c) => ({ ...c, alias: s.alias })));
  const local = byId('local');
  local.replaceChildren(el('p', null, plan.local || 'nothing: EXPLAIN did not run the statement'));
  if (localOnly.length > 0) {
    local.append(el('p', null, 'Conditions PingOne could not evaluate (only the local run checks them):'),
      el('ul', 'conditions', ...localOnly.map((/** @type {any} */ c) => el('li', 'local-condition', el('span', 'badge local', 'local only'), el('code', null, c.sql)))));
  }
}

/** @param {any} r */
function request(r) {
  return el('li', 'request', r.cacheHit ? el('span', 'badge cache', 'cache hit') : '', el('span', 'mono', `${r.method} ${r.path}`),
    ...(r.filter ? [' filter ', el('code', null, r.filter)] : []));
}

/** The requests as a tree: each round trip under the one it waited for, cache hits apart. @param {any} plan */
function renderTree(plan) {
  const sent = plan.requests.filter((/** @type {any} */ r) => !r.cacheHit);
  const hits = plan.requests.filter((/** @type {any} */ r) => r.cacheHit);
  const root = el('li', 'root', el('span', 'node', `statement: ${plural(sent.length, 'request')} in ${plural(plan.roundTrips, 'round trip')}`));
  let parent = root;
  const byTrip = new Map();
  for (const r of sent) byTrip.set(r.roundTrip, [...(byTrip.get(r.roundTrip) ?? []), r]);
  for (const trip of [...byTrip.keys()].sort((a, b) => a - b)) {
    const requests = byTrip.get(trip);
    const node = el('li', 'round-trip', el('span', 'node', `round trip ${trip}: ${plural(requests.length, 'request')}${requests.length > 1 ? ' at the same time' : ''}`));
    const children = el('ul', null, ...requests.map(request));
    node.append(children);
    parent.append(el('ul', null, node));
    parent = node;
  }
  if (hits.length > 0) root.append(el('ul', null, el('li', 'cache-hits', el('span', 'node', `read cache: ${plural(hits.length, 'hit')}, no round trip`), el('ul', null, ...hits.map(request)))));
  if (plan.requests.length === 0) root.append(el('ul', null, el('li', null, 'no request (nothing was sent to PingOne)')));
  byId('tree').replaceChildren(el('ul', 'tree', root));
}

/** @param {any} answer */
function render(answer) {
  byId('error').hidden = true;
  renderRows(answer);
  const plan = answer.plan;
  const sent = plan.requests.filter((/** @type {any} */ r) => !r.cacheHit).length;
  byId('summary').textContent = `${plural(sent, 'request')} to PingOne · ${plural(plan.roundTrips, 'round trip')} · ${answer.elapsedMs} ms · ` +
    `${plural(plan.cacheHits, 'cache hit')} (read cache ${plan.readCache ? 'on' : 'off: the DataSource has no cache option'})`;
  renderSteps(plan);
  renderTree(plan);
  byId('result').hidden = false;
}

/** @param {number} status @param {any} body */
function showError(status, body) {
  const error = byId('error');
  const message = body && typeof body.message === 'string' ? body.message : Array.isArray(body?.message) ? body.message.join('; ') : `HTTP ${status}`;
  error.replaceChildren(el('span', 'code', `${status} ${body?.code ?? body?.error ?? ''}`.trim()), el('div', 'message', message));
  error.hidden = false;
  byId('result').hidden = true;
}

async function run() {
  const sql = /** @type {HTMLTextAreaElement} */ (byId('sql')).value;
  const button = /** @type {HTMLButtonElement} */ (byId('run'));
  button.disabled = true;
  document.body.dataset.state = 'running';
  byId('status').textContent = 'Running…';
  try {
    const response = await fetch('/plan/query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql }) });
    const body = await response.json().catch(() => null);
    if (response.ok) render(body);
    else showError(response.status, body);
    document.body.dataset.state = response.ok ? 'done' : 'error';
  } catch (error) {
    showError(0, { message: `The app did not answer: ${error instanceof Error ? error.message : String(error)}` });
    document.body.dataset.state = 'error';
  } finally {
    button.disabled = false;
    byId('status').textContent = '';
  }
}

document.addEventListener('DOMContentLoaded', () => {
  const select = /** @type {HTMLSelectElement} */ (byId('example'));
  EXAMPLES.forEach((example, i) => select.append(Object.assign(el('option', null, example.label), { value: String(i) })));
  const sql = /** @type {HTMLTextAreaElement} */ (byId('sql'));
  sql.value = EXAMPLES[0].sql;
  select.addEventListener('change', () => {
    const example = EXAMPLES[Number(select.value)];
    if (!example) return;
    sql.value = example.sql;
    void run();
  });
  byId('query-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  sql.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void run();
    }
  });
  document.body.dataset.state = 'ready';
});
