// Drives the operator console in Debian's chromium (playwright-core, exact version in package-lock.json);
// run by ConsoleBrowserTest: `node console.js case.json`. It prints one line per step; at "LIVE?" it waits
// for the test to make a new call and send its RequestId on stdin, then checks that the open page shows
// that decision without a reload. Any failed check throws: the process exits non-zero with the reason.
'use strict';
const fs = require('fs');
const readline = require('readline');
const { chromium } = require('playwright-core');

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const stdin = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const TIMEOUT = 20000;

function check(ok, what) {
  if (!ok) throw new Error('check failed: ' + what);
  console.log('ok: ' + what);
}

async function text(page, selector) {
  const loc = page.locator(selector).first();
  await loc.waitFor({ timeout: TIMEOUT });
  return (await loc.textContent()).trim();
}

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const anonymous = await browser.newContext();
    // (a navigation answered 401 without a credential to offer ends in net::ERR_INVALID_AUTH_CREDENTIALS)
    const refused = await anonymous.request.get(cfg.url);
    check(refused.status() === 401, 'the page without a credential answers 401 (got ' + refused.status() + ')');
    check(/^Basic /.test(refused.headers()['www-authenticate'] || ''), 'and asks for Basic credentials');
    await anonymous.close();

    const context = await browser.newContext({
      httpCredentials: { username: 'operator', password: cfg.password },
      viewport: { width: 1400, height: 1100 },
    });
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    const opened = await page.goto(cfg.url);
    check(opened.status() === 200, 'the page with the credential answers 200');
    await page.locator('#live.on').waitFor();
    check(true, 'the live feed is connected');
    await page.evaluate(() => { window.notReloaded = true; });

    // the first stop, found by its JobId; its story, record by record
    await page.fill('#search-input', cfg.jobId);
    await page.click('#search-button');
    await page.locator(`#search-results a[data-request-id="${cfg.requestId}"]`).click();
    for (const kind of ['command', 'decision', 'directive', 'report', 'result', 'completion']) {
      await page.locator(`#story .event[data-kind="${kind}"]`).first().waitFor();
    }
    check(true, 'the story shows command, decision, directive, report, result and completion');
    check(await text(page, '#story [data-kind="command"] .accessKeyId') === cfg.accessKeyId, 'the command names the AccessKeyId');
    const verdict = await text(page, '#story [data-kind="decision"] .policyVerdict');
    check(verdict.includes(cfg.statement), 'the decision names the deciding statement: ' + verdict);
    const quota = await text(page, '#story [data-kind="decision"] .quotaCount');
    check(Number(quota) >= 1, 'the decision shows the quota count: ' + quota);
    const trace = await text(page, '#story [data-kind="decision"] .traceparent');
    check(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(trace), 'the decision names its trace: ' + trace);
    const directiveId = await text(page, '#story [data-kind="directive"] .directiveId');
    check(directiveId === cfg.requestId + '#1', 'the directive is attempt 1 of the request: ' + directiveId);
    check(await text(page, '#story [data-kind="report"] .status') === 'STOPPED', 'the worker reported the job STOPPED');
    check(await text(page, '#story-outcome') === 'COMPLETED', 'the stop ended COMPLETED');

    // the same stop by its AccessKeyId
    await page.fill('#search-input', cfg.accessKeyId);
    await page.click('#search-button');
    await page.locator(`#search-results a[data-request-id="${cfg.requestId}"]`).waitFor();
    check(true, 'a search by AccessKeyId finds it');

    // new calls while the page is open: a denied one and a stop that stays pending while the worker stops
    // the job; they appear without a reload
    console.log('LIVE?');
    const denied = (await stdin.next()).value.trim();
    const pending = (await stdin.next()).value.trim();
    await page.locator(`#recent-table a[data-request-id="${denied}"]`).waitFor();
    const pendingRow = page.locator('#pending-table tbody tr', { has: page.locator(`a[data-request-id="${pending}"]`) });
    await pendingRow.waitFor();
    const attempt = (await pendingRow.locator('td').nth(3).textContent()).trim();
    const deadline = (await pendingRow.locator('td').nth(5).textContent()).trim();
    check(attempt === '1' && /\(in \d+ s\)$/.test(deadline), 'the stop ' + pending + ' is pending: attempt ' + attempt
        + ', deadline ' + deadline);
    check(await page.evaluate(() => window.notReloaded === true), 'the new calls appeared without a reload');
    await page.locator(`#recent-table a[data-request-id="${cfg.requestId}"]`).click(); // the first stop's story
    await page.locator(`#story p.title[data-request-id="${cfg.requestId}"]`).waitFor();
    await page.screenshot({ path: cfg.screenshot, fullPage: true });
    check(fs.statSync(cfg.screenshot).size > 10000, 'screenshot at ' + cfg.screenshot);

    await page.locator(`#recent-table a[data-request-id="${denied}"]`).click();
    await page.locator(`#story p.title[data-request-id="${denied}"]`).waitFor();
    check(await text(page, '#story [data-kind="decision"] .code') === cfg.liveCode, 'its story shows the code ' + cfg.liveCode);
    await page.locator('#decision-table tbody tr', { hasText: cfg.liveCode }).waitFor();
    check(true, 'the decisions table counts ' + cfg.liveCode);
    await pendingRow.waitFor({ state: 'detached', timeout: 30000 });
    check(await page.locator('#completion-count').textContent() === '2', 'the pending stop completed: no longer pending');

    const html = await page.content();
    for (const secret of cfg.secrets) {
      check(!html.includes(secret), 'the page shows no secret (' + secret.length + ' characters)');
    }
    console.log('DONE');
  } finally {
    await browser.close();
  }
}

main().then(() => process.exit(0), e => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
