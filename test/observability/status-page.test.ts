import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/built-cli.js';
import { scrape, total, type Scrape } from '../helpers/metrics.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { CLAUDE, GPT, INBOUND_PATH, LLAMA, callWithSdk, sendRaw, streamWithSdk } from '../reliability/routes.js';

/** Debian's chromium (.ci/run installs it), driven headless by playwright-core: no browser download. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Screenshots go to docs/ (for the README) when asked, else to a temporary folder so a test run leaves the tree as it was. */
const SHOTS = process.env.DBX_PROXY_SCREENSHOTS === '1' ? join(ROOT, 'docs') : mkdtempSync(join(tmpdir(), 'dbx-shots-'));

const INFERENCE = Object.values(INBOUND_PATH);

/** The figures /metrics gives for what the page shows. */
function metricFigures(scraped: Scrape): { requests: number; input: number; output: number; streams: number } {
  const sum = (name: string, labels: Record<string, string> = {}): number => total(scraped, name, labels);
  return {
    requests: INFERENCE.reduce((count, route) => count + sum('dbx_proxy_requests_total', { route }), 0),
    input: ['input', 'cache_read', 'cache_write'].reduce((count, kind) => count + sum('dbx_proxy_tokens_total', { kind }), 0),
    output: sum('dbx_proxy_tokens_total', { kind: 'output' }),
    streams: sum('dbx_proxy_active_streams'),
  };
}

async function tile(page: Page, id: string): Promise<number> {
  return Number((await page.locator(`#${id}`).textContent())?.replace(/[^\d]/g, ''));
}

describe('the status page in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`).toBe(true);
    const usage = join(mkdtempSync(join(tmpdir(), 'dbx-usage-')), 'usage.sqlite');
    stack = await startStack({ config: { demo: true, observability: { usage: { enabled: true, path: usage } } } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    // Traffic of several models and routes, a failure among it.
    await callWithSdk(stack.proxy.url, { client: 'chat', model: LLAMA }, 'hello from the status page test');
    await streamWithSdk(stack.proxy.url, { client: 'messages', model: CLAUDE }, 'a streamed answer for the charts');
    await callWithSdk(stack.proxy.url, { client: 'responses', model: GPT }, 'one more model');
    await sendRaw(stack.proxy.url, { client: 'chat', model: 'no-such-model' }, 'an error row', false);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the same figures as /metrics while requests flow, and the last requests', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    await page.goto(`${stack.proxy.url}/`);
    // A stream in flight while the page watches: the active-streams tile shows it.
    stack.emulator.setFaults(['slow-drip']);
    const flowing = sendRaw(stack.proxy.url, { client: 'chat', model: LLAMA }, 'a slow stream while the page is open', true);
    await expect.poll(() => tile(page, 't-streams'), { timeout: 10_000 }).toBe(1);
    expect(metricFigures(await scrape(stack.proxy.url)).streams).toBe(1);
    await flowing;
    stack.emulator.setFaults([]);
    await callWithSdk(stack.proxy.url, { client: 'chat', model: CLAUDE }, 'and one after');

    const expected = await (async () => {
      let figures = metricFigures(await scrape(stack.proxy.url));
      await expect.poll(async () => (figures = metricFigures(await scrape(stack.proxy.url))).requests).toBe(6);
      return figures;
    })();
    await expect.poll(() => tile(page, 't-requests'), { timeout: 10_000 }).toBe(expected.requests);
    expect(await tile(page, 't-streams')).toBe(0);
    expect(await tile(page, 't-input')).toBe(expected.input);
    expect(await tile(page, 't-output')).toBe(expected.output);
    expect(await tile(page, 't-errors')).toBe(1);
    expect(expected.input).toBeGreaterThan(0);

    // Last requests, newest first, one row each; the failure in the errors table.
    await expect.poll(() => page.locator('#recent tr[data-request-id]').count()).toBe(6);
    expect(await page.locator('#recent tr[data-request-id]').first().textContent()).toContain(CLAUDE);
    expect(await page.locator('#errors').textContent()).toContain('no-such-model');
    // The charts come from the usage history: bars for this minute.
    expect(await page.locator('#c-rpm rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#c-days rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#workspace').textContent()).toContain('DEMO');
    expect(await page.locator('#models').textContent()).toContain(`${INBOUND_PATH.messages} → anthropic-messages`);

    await page.screenshot({ path: join(SHOTS, 'status-page.png'), fullPage: true });
    expect(readFileSync(join(SHOTS, 'status-page.png')).subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });

  it('fits a phone in dark mode', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', deviceScaleFactor: 2 });
    await page.goto(`${stack.proxy.url}/`);
    await expect.poll(() => tile(page, 't-requests')).toBeGreaterThan(0);
    // Nothing wider than the screen but the tables, which scroll in their own box.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(18, 18, 20)');
    await page.screenshot({ path: join(SHOTS, 'status-page-phone-dark.png'), fullPage: false });
    await page.close();
  });
});
