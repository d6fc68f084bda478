import 'reflect-metadata';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { User } from 'typeorm-pingone';
import { appForTests } from './app-harness.js';
import type { PingOneConnection } from '../src/pingone-connection.js';

/*
 * The plan page in a real browser: Debian's Chromium, headless, driven by playwright-core (no browser is downloaded).
 * A person types SQL or picks an example and sees the rows and the plan; a write is refused with its error shown;
 * directory data is shown as text, never run as markup. The browser may reach only the app: any other request
 * would be aborted and fails the test.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.log(`SKIPPED: chromium not installed at ${CHROMIUM} (the plan page's browser test needs it; .ci/run installs it)`);
const describeWithChromium = hasChromium ? describe : describe.skip;

describeWithChromium('the plan page at / (headless Chromium)', () => {
  let app: INestApplication;
  let pingone: PingOneConnection;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let base: string;
  const elsewhere: string[] = [];
  const pageErrors: string[] = [];
  appForTests(60, (started) => ({ app, pingone } = started), { listen: true });

  beforeAll(async () => {
    base = await app.getUrl();
    profile = mkdtempSync(join(tmpdir(), 'plan-page-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith(`${base}/`)) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort();
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-state="ready"]');
  }, 60_000);

  afterAll(async () => {
    try {
      await context?.close();
    } finally {
      if (profile) rmSync(profile, { recursive: true, force: true });
    }
  });

  afterEach(() => {
    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  const store = () => pingone.simulator!.store.environment(pingone.simulator!.environmentId)!;
  const apiRequests = () => pingone.simulator!.requests.api();
  const texts = (selector: string) => page.locator(selector).allTextContents();

  async function runTyped(sql: string): Promise<'done' | 'error'> {
    await page.fill('#sql', sql);
    await page.click('#run');
    return finished();
  }

  async function finished(): Promise<'done' | 'error'> {
    await page.waitForSelector('body[data-state="done"], body[data-state="error"]');
    return (await page.getAttribute('body', 'data-state')) as 'done' | 'error';
  }

  test('a typed query shows its rows, and the plan: the condition PingOne evaluated, the local one, the request with its filter', async () => {
    pingone.simulator!.requests.clear();
    expect(
      await runTyped(
        "SELECT username, enabled, createdAt FROM users WHERE type = 'Contractor' AND lower(username) LIKE '%a%' ORDER BY username",
      ),
    ).toBe('done');
    const expected = [...store().users.values()]
      .map((u) => u.data)
      .filter((u) => u.type === 'Contractor' && String(u.username).toLowerCase().includes('a'))
      .map((u) => String(u.username))
      .sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(await texts('#rows tbody tr td:first-child')).toEqual(expected);
    expect(await texts('#rows thead th')).toEqual([
      'usernameusername · string',
      'enabledenabled · boolean',
      'createdAtcreatedAt · datetime',
    ]);
    expect(await page.textContent('#summary')).toMatch(/^1 request to PingOne · 1 round trip · [\d.]+ ms · 0 cache hits \(read cache off/);
    const step = page.locator('#steps li.step').first();
    expect(await step.locator('.filter').textContent()).toBe('PingOne filter: type eq "Contractor"');
    expect(await step.locator('.conditions li').allTextContents()).toEqual([
      "PingOneusers.type = 'Contractor'",
      "local onlyLOWER(users.username) LIKE '%a%'",
    ]);
    expect(await texts('#local .local-condition')).toEqual(["local onlyLOWER(users.username) LIKE '%a%'"]);
    expect(await texts('#tree .round-trip > .node')).toEqual(['round trip 1: 1 request']);
    expect(await texts('#tree .request')).toEqual(['GET /users?limit=1000 filter type eq "Contractor"']);
    // what the page says was sent is what PingOne (the simulator) received
    expect(apiRequests().map((r) => `${r.method} ${decodeURIComponent(String(r.query.filter ?? ''))}`)).toEqual([
      'GET type eq "Contractor"',
    ]);
  });

  test('picking an example runs it: a join drawn as a tree of round trips, each waiting for the one before', async () => {
    await page.selectOption('#example', { label: 'Members of the Help Desk group (a join over memberships)' });
    expect(await finished()).toBe('done');
    expect(await page.inputValue('#sql')).toMatch(/^SELECT u\.username, g\.name AS groupName/);
    const helpDesk = [...store().groups.values()].find((g) => g.data.name === 'Help Desk')!;
    const members = store()
      .memberships.directMembers(String(helpDesk.data.id))
      .map((id) => store().users.get(id)?.data.username)
      .filter((u) => u !== undefined);
    const shown = await texts('#rows tbody tr td:first-child');
    expect(members.length).toBeGreaterThan(0);
    expect(shown).toEqual(members.map(String).sort());
    expect(await texts('#rows tbody tr td:nth-child(2)')).toEqual(shown.map(() => 'Help Desk'));
    // round trip 2 (the members of the group found in round trip 1) is drawn under round trip 1
    expect(await texts('#tree .round-trip .round-trip > .node')).toEqual(['round trip 2: 1 request']);
    expect((await texts('#tree .request')).some((t) => t.includes('memberOfGroups[id eq'))).toBe(true);
    expect(await texts('#steps li.step > strong')).toEqual(['g', 'm', 'u']);
  });

  test('a write is refused with its error on the page, and nothing reaches PingOne', async () => {
    const partners = [...store().users.values()].filter((u) => u.data.type === 'Partner').length;
    pingone.simulator!.requests.clear();
    expect(await runTyped("DELETE FROM users WHERE type = 'Partner'")).toBe('error');
    expect(await page.isVisible('#error')).toBe(true);
    expect(await page.textContent('#error .code')).toBe('403 READ_ONLY_PAGE');
    expect(await page.textContent('#error .message')).toMatch(
      /^DELETE changes the directory and is not run here: this page runs only SELECT and EXPLAIN/,
    );
    expect(await page.isVisible('#result')).toBe(false);
    expect(apiRequests()).toEqual([]);
    expect([...store().users.values()].filter((u) => u.data.type === 'Partner').length).toBe(partners);
    // a statement the driver can't read: its message, as the driver says it
    expect(await runTyped('SELECT nosuch FROM users')).toBe('error');
    expect(await page.textContent('#error .code')).toBe('400 SQL_ERROR');
    expect(await page.textContent('#error .message')).toMatch(/^no such column: nosuch/);
  });

  test('directory data is shown as text: markup in a value is never run or parsed', async () => {
    const users = app.get(DataSource).getRepository(User);
    const victim = (await users.find({ order: { username: 'ASC' }, take: 1 }))[0];
    const hostile = '<img src=x onerror="document.title=\'owned\'"><script>document.title="owned"</script>&amp;';
    await users.update(victim.id, { nickname: hostile });
    try {
      expect(await runTyped(`SELECT username, nickname FROM users WHERE nickname LIKE '%<img%' OR username = '${victim.username}'`)).toBe(
        'done',
      );
      expect(await texts('#rows tbody td:nth-child(2)')).toEqual([hostile]);
      expect(await page.locator('#result img, #result script').count()).toBe(0);
      expect((await texts('#steps code')).some((t) => t.includes("'%<img%'"))).toBe(true);
      expect(await page.title()).toBe('SQL on PingOne, and its plan');
    } finally {
      await users.update(victim.id, { nickname: null });
    }
  });
});
