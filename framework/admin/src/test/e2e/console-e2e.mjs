// Drives the Weir console in headless Chromium: node console-e2e.mjs <base-url> <admin-token> <screenshot-dir>
// Exits 0 when every step passed; prints one "STEP <name> ok" line per step.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, token, shots] = process.argv.slice(2);
if (!base || !token || !shots) { console.error('usage: console-e2e.mjs <url> <token> <screenshot-dir>'); process.exit(2); }
mkdirSync(shots, { recursive: true });
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'weir-chromium-')), {
  executablePath, headless: true, viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const page = context.pages()[0] || await context.newPage();
// One generous bound for every wait (the machine may be loaded): each wait returns as soon as its signal appears.
const T = Number(process.env.E2E_TIMEOUT_MS || 60000);
context.setDefaultTimeout(T);
context.setDefaultNavigationTimeout(T);
const errors = [];
page.on('pageerror', e => errors.push(e.message));
const step = async (name, fn) => {
  try { await fn(); } catch (e) { throw new Error(`step ${name}: ${e.message}`); }
  console.log(`STEP ${name} ok`);
};
try {
  await step('login', async () => {
    await page.goto(base + '/console/');
    await page.getByTestId('token').fill(token);
    await page.getByTestId('login').click();
    await page.getByTestId('overview-stats').locator('.stat').first().waitFor({ timeout: T });
    const stored = await page.evaluate(() => sessionStorage.getItem('weir-admin-token'));
    const local = await page.evaluate(() => localStorage.length);
    if (stored !== token || local !== 0) throw new Error('token must be in sessionStorage only');
    // the chart is drawn in the same task as the stats: wait for the next painted frame, not a fixed time
    await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: join(shots, '1-overview.png'), fullPage: true });
  });
  await step('debugger', async () => {
    await page.goto(base + '/console/#debugger');
    await page.getByTestId('tap-source').selectOption('web');
    await page.getByTestId('tap-start').click();
    await page.locator('.badge', { hasText: '→ collector' }).first().waitFor({ timeout: T });
    // stop the stream so no new row pushes the one we click: then click it and wait for its detail to open
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByText('stopped', { exact: true }).waitFor({ timeout: T });
    const row = await page.getByTestId('tap-row').first().elementHandle();
    await row.click();
    const detail = (await row.evaluateHandle(r => r.nextElementSibling)).asElement();
    await detail.waitForElementState('visible', { timeout: T });
    const json = await detail.evaluate(d => d.querySelector('pre').textContent);
    if (!json.includes('"event_type"')) throw new Error('expanded row shows no event JSON: ' + json);
    await page.screenshot({ path: join(shots, '2-debugger.png'), fullPage: true });
  });
  await step('pause-resume', async () => {
    await page.goto(base + '/console/#destinations');
    await page.getByTestId('pause-collector').click();
    await page.getByTestId('state-collector').getByText('paused').waitFor({ timeout: T });
    await page.screenshot({ path: join(shots, '3-destination-paused.png'), fullPage: true });
    await page.getByTestId('resume-collector').click();
    await page.getByTestId('state-collector').getByText('running').waitFor({ timeout: T });
  });
  await step('definition-dry-run', async () => {
    await page.goto(base + '/console/#definitions');
    await page.getByTestId('definition').selectOption('marketing-track-style');
    await page.getByTestId('dry-settings').fill('{"api_key":"sk-test-123","rest_endpoint":"https://rest.iad-01.example-engage.com"}');
    await page.getByTestId('dry-run').click();
    const req = page.getByTestId('rendered-request').first();
    await req.waitFor({ timeout: T });
    const text = await req.textContent();
    if (!text.includes('POST https://rest.iad-01.example-engage.com/users/track')) throw new Error('unexpected request: ' + text);
    if (text.includes('sk-test-123')) throw new Error('secret shown in rendered request');
    const whole = await page.getByTestId('dry-output').textContent();
    if (whole.includes('null')) throw new Error('stray null rendered: ' + whole);
    console.log('RENDERED ' + text.split('\n')[0]);
    await page.screenshot({ path: join(shots, '4-definitions.png'), fullPage: true });
  });
  await step('catalog', async () => {
    await page.goto(base + '/console/#catalog');
    await page.getByTestId('catalog-row-meta-conversions-api').waitFor({ timeout: T });
    for (const id of ['google-ads-conversions', 'tiktok-events-api', 'amplitude-http-v2', 'hubspot-contacts', 'slack-incoming-webhook', 'pagerduty-events-v2', 'webhook']) {
      await page.getByTestId('catalog-row-' + id).waitFor({ timeout: T });
    }
    const rows = await page.getByTestId('catalog').locator('tr').count();
    if (rows < 30) throw new Error('catalog lists only ' + (rows - 1) + ' entries');
    await page.getByTestId('catalog-row-meta-conversions-api').locator('a').click();
    await page.getByTestId('setting-pixel_id').fill('1234567890123456');
    // a raw secret is refused in the form: secrets are references only
    await page.getByTestId('setting-access_token').fill('EAAB-raw-token-value');
    await page.getByTestId('catalog-dry-run').click();
    await page.getByTestId('form-problems').getByText('is a secret').waitFor({ timeout: T });
    await page.getByTestId('setting-access_token').fill('${env:META_CAPI_TOKEN}');
    await page.getByTestId('catalog-dry-run').click();
    const req = page.getByTestId('catalog-request').first();
    await req.waitFor({ timeout: T });
    const text = await req.textContent();
    if (!text.includes('POST https://graph.facebook.com/v25.0/1234567890123456/events?access_token=****')) throw new Error('unexpected request: ' + text);
    if (!text.includes('86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d')) throw new Error('email not normalised and hashed: ' + text);
    if (text.includes('META_CAPI_TOKEN')) throw new Error('secret reference shown in rendered request');
    const snippet = await page.getByTestId('catalog-yaml').textContent();
    if (!snippet.includes('definition: meta-conversions-api@1.x') || !snippet.includes('${env:META_CAPI_TOKEN}')) throw new Error('bad workspace snippet: ' + snippet);
    console.log('CATALOG ' + rows + ' rows; ' + text.split('\n')[0]);
    await page.screenshot({ path: join(shots, '6-catalog.png'), fullPage: true });
  });
  await step('workspace-reload', async () => {
    await page.goto(base + '/console/#destinations');
    await page.getByTestId('workspace-reload').click();
    await page.getByTestId('workspace-reload-result').getByText("workspace.yaml:7:5 destinations[1].settings: unknown key 'urll'").waitFor({ timeout: T });
    await page.getByTestId('workspace-reload').click();
    await page.getByTestId('workspace-reload-result').getByText('Reloaded: added: crm').waitFor({ timeout: T });
    console.log('RELOAD refused then applied');
  });
  await step('audiences', async () => {
    await page.goto(base + '/console/#audiences');
    await page.getByTestId('members-viewers').getByText('—').waitFor({ timeout: T });
    await page.getByTestId('sync-viewers').click();
    await page.getByTestId('audience-sync-result').getByText(/viewers: \d+ members/).waitFor({ timeout: T });
    const members = Number((await page.getByTestId('members-viewers').textContent()).replace(/[^0-9]/g, ''));
    if (!(members > 0)) throw new Error('audience members after a sync: ' + members);
    console.log('AUDIENCES viewers ' + members + ' members');
    await page.screenshot({ path: join(shots, '7-audiences.png'), fullPage: true });
  });
  await step('governance', async () => {
    await page.goto(base + '/console/#governance');
    await page.getByTestId('violation-groups').locator('td').first().waitFor({ timeout: T });
    await page.screenshot({ path: join(shots, '5-governance.png'), fullPage: true });
  });
  await step('explore', async () => {
    await page.goto(base + '/console/#explore');
    await page.getByTestId('seg-event').fill('Product Viewed');
    await page.getByTestId('seg-bucket').selectOption('minute');
    await page.getByTestId('seg-range').selectOption('15 minutes');
    await page.getByTestId('seg-run').click();
    const total = async () => Number((await page.getByTestId('seg-total').locator('td').nth(1).textContent()).replace(/[^0-9]/g, ''));
    await page.getByTestId('seg-total').waitFor({ timeout: T });
    const first = await total();
    if (!(first > 0)) throw new Error('segmentation total is ' + first);
    // the page re-runs the query every 3 s: the count follows the events still arriving
    await page.waitForFunction(n => {
      const td = document.querySelector('[data-testid=seg-total] td:nth-child(2)');
      return td && Number(td.textContent.replace(/[^0-9]/g, '')) > n;
    }, first, { timeout: T, polling: 250 });
    console.log('SEGMENTATION ' + first + ' -> ' + await total());
    await page.screenshot({ path: join(shots, '6-explore-segmentation.png'), fullPage: true });
    await page.getByTestId('funnel-steps').fill('Product Viewed\nProduct Viewed');
    await page.getByTestId('funnel-run').click();
    await page.getByTestId('funnel-step').nth(1).waitFor({ timeout: T });
    const label = await page.getByTestId('funnel-step').nth(1).textContent();
    if (!/\d+ users · \d+\.\d%/.test(label)) throw new Error('funnel step shows no conversion: ' + label);
    console.log('FUNNEL ' + label);
    await page.getByTestId('funnel-bars').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, '7-explore-funnel.png'), fullPage: true });
  });
  if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  console.log('ALL OK');
} catch (e) {
  console.error('FAILED: ' + e.message);
  await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await context.close();
}
