/**
 * The console page in a real browser (Debian's Chromium driven by
 * playwright-core) against the local pipeline: an agent signs in with a token
 * from the local issuer, sees requests in due-date order with countdown
 * chips and the report's figures above them (its CSV saved as a download), opens
 * one and adds a note that then shows in its timeline.
 * Screenshots go to a temporary directory printed at the start.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { calendarsOverview } from '../../../domain/console/calendar-import';
import { mintConsoleToken } from '../../../local/console-issuer';
import { simulateElapsedTime, storedRequest } from '../console/support';
import { browserMissing, CHROMIUM, CHROMIUM_ARGS } from '../support/browser';

/** A notice for 2097, a year no other test counts in (1 January 2097 is a Tuesday). */
function notice2097(makeUpWorkdays: { date: string; weekday: string }[] = []) {
  return {
    calendarId: 'cn-state-council',
    year: 2097,
    source: {
      authority: '国务院办公厅 General Office of the State Council of the PRC',
      title: 'TEST FIXTURE, not a real notice: 国务院办公厅关于2097年部分节假日安排的通知',
      url: 'https://www.gov.cn/zhengce/zhengceku/209611/content_test.htm',
      published: '2096-11-04',
      documentNumber: '国办发明电〔2096〕97号',
    },
    arrangements: [
      { festival: "元旦 New Year's Day", daysOff: { from: '2097-01-01', to: '2097-01-01' }, makeUpWorkdays },
    ],
  };
}

const missingBrowser = browserMissing('the console browser test');

/** Takes a correction at the counter, identity checked: verified at once, and open until an agent acts. */
async function createRequest(token: string, policyId: string, email: string): Promise<string> {
  const response = await fetch(`${inject('stack').api}/v1/console/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      policyId,
      type: 'correction',
      receivedVia: 'counter',
      subject: { email },
      details: 'My address changed',
      identityCheck: { method: 'id-document', note: 'Identity card shown at the counter' },
    }),
  });
  const body = (await response.json()) as { requestId: string };
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(body)}`);
  return body.requestId;
}

/** Assigns a request to the agent, so that "Mine" finds it among every other test's open requests. */
async function assignTo(token: string, requestId: string, assignee: string): Promise<void> {
  const response = await fetch(`${inject('stack').api}/v1/console/requests/${requestId}/assign`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ assignee }),
  });
  if (response.status !== 200) throw new Error(`assign failed: ${response.status} ${await response.text()}`);
}

describe.skipIf(missingBrowser)('the console page in a browser', () => {
  let context: BrowserContext;
  let shots: string;

  beforeAll(async () => {
    shots = await mkdtemp(join(tmpdir(), 'dsar-console-'));
    console.log(`Console browser test screenshots: ${shots}`);
    context = await chromium.launchPersistentContext(join(shots, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  it('signs an agent in, lists requests by due date with countdown chips, and adds a note to one', async () => {
    const { api, stateDir } = inject('stack');
    const user = `alice-${Date.now().toString(36)}`;
    const token = mintConsoleToken({ stateDir, roles: ['agent'], user });
    const stamp = Date.now().toString(36);
    // Different clocks: the GDPR month ends after CAftrade's 15 days.
    const later = await createRequest(token, 'gdpr', `console-later-${stamp}@example.com`);
    const sooner = await createRequest(token, 'caftrade', `console-sooner-${stamp}@example.com`);
    // The stack is shared with every other local test: the whole queue may hold pages of their requests.
    await assignTo(token, later, user);
    await assignTo(token, sooner, user);

    const pageErrors: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${api}/console`);
    await page.getByLabel(/Console token/).fill(token);
    await page.getByRole('button', { name: /Sign in/ }).click();

    await page.locator('#session-user').getByText(user).waitFor();
    expect(await page.locator('#session-roles').textContent()).toBe('agent');
    // Other tests' requests count too, so only a lower bound: the two open requests made above.
    const openFigure = page.locator('#report-tiles [data-figure="open"] .report-figure');
    await openFigure.waitFor();
    expect(Number(await openFigure.textContent())).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#report-rows tr', { hasText: 'CAftrade' }).count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Download CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^dsar-report-\d{4}-\d{2}-\d{2}\.csv$/);
    await page.getByRole('button', { name: /Mine/ }).click();
    await page.locator(`tr[data-request-id="${later}"]`).waitFor();
    const order = await page
      .locator('#queue-rows tr')
      .evaluateAll((rows) =>
        rows.map((row) => (row as unknown as { dataset: { requestId: string } }).dataset.requestId),
      );
    expect(order.indexOf(sooner)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(sooner)).toBeLessThan(order.indexOf(later));
    const soonerChip = page.locator(`tr[data-request-id="${sooner}"] .chip`);
    expect(await soonerChip.getAttribute('class')).toMatch(/chip-(ok|soon)/);
    expect(await soonerChip.textContent()).toMatch(/\d+ days left/);
    await page.screenshot({ path: join(shots, 'queue.png') });

    await page.locator(`tr[data-request-id="${sooner}"] td`).first().click();
    await page.waitForURL(new RegExp(`#${sooner}$`));
    await page.locator('#detail').waitFor();
    expect(await page.locator('#detail-reference').textContent()).toBe(sooner);
    expect(Number(await page.locator('#detail-countdown .countdown-number').textContent())).toBeGreaterThan(
      0,
    );
    expect(await page.locator('#detail-zone').textContent()).toBe('Asia/Shanghai');
    // An agent sees the forms the role matrix gives agents, and not the supervisors' ones.
    expect(await page.locator('#note-form').isVisible()).toBe(true);
    // Already the agent's own (assigned above), so "assign to me" is not offered.
    expect(await page.locator('#assign-form').isHidden()).toBe(true);
    expect(await page.locator('#refuse-form').isHidden()).toBe(true);
    expect(await page.locator('#extend-form').isHidden()).toBe(true);
    // A correction discloses nothing and no store has failed: no store work to offer.
    expect(await page.locator('#redrive-form').isHidden()).toBe(true);
    expect(await page.locator('#revoke-form').isHidden()).toBe(true);

    await page.getByLabel(/New note/).fill('Called the requester to confirm the new address');
    await page.getByRole('button', { name: /Add note/ }).click();
    // The identity check taken at the counter is already a note; the new one is the second.
    await page.locator('#notes li', { hasText: 'Called the requester to confirm the new address' }).waitFor();
    const timeline = await page.locator('#detail-timeline li').allTextContents();
    expect(timeline.join('\n')).toMatch(/Request received[\s\S]*Note added/);
    expect(timeline.filter((entry) => entry.includes('Note added'))).toEqual([
      expect.stringContaining(`Agent ${user}`),
      expect.stringContaining('Note 2'),
    ]);
    await page.screenshot({ path: join(shots, 'detail.png'), fullPage: true });

    await page.getByRole('link', { name: /Back to the queue/ }).click();
    await page.locator(`tr[data-request-id="${sooner}"]`).waitFor();
    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.getByLabel(/Console token/).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('dsar-console-token')")).toBeNull();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('asks a second agent to approve an export the first one took at the counter (four eyes)', async () => {
    const { api, stateDir } = inject('stack');
    const stamp = Date.now().toString(36);
    const taker = `tess-${stamp}`;
    const second = `bo-${stamp}`;
    const response = await fetch(`${api}/v1/console/requests`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${mintConsoleToken({ stateDir, roles: ['agent'], user: taker })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        policyId: 'caftrade',
        type: 'access',
        receivedVia: 'counter',
        subject: { email: `four-eyes-${stamp}@example.com` },
        identityCheck: { method: 'id-document', note: 'Identity card shown at the counter' },
      }),
    });
    expect(response.status).toBe(201);
    const { requestId } = (await response.json()) as { requestId: string };

    const signIn = async (user: string) => {
      const page = await context.newPage();
      await page.goto(`${api}/console`);
      await page.getByLabel(/Console token/).fill(mintConsoleToken({ stateDir, roles: ['agent'], user }));
      await page.getByRole('button', { name: /Sign in/ }).click();
      await page.locator('#session-user').getByText(user).waitFor();
      await page.goto(`${api}/console#${requestId}`);
      await page.locator('#detail-reference').getByText(requestId).waitFor();
      return page;
    };

    const takerPage = await signIn(taker);
    await takerPage.locator('#approval').waitFor();
    expect(await takerPage.locator('#approval-why').textContent()).toContain('Someone else must approve');
    expect(await takerPage.locator('#approve-form').isHidden()).toBe(true);
    await takerPage.close();

    const secondPage = await signIn(second);
    await secondPage.locator('#approve-form').waitFor();
    expect(await secondPage.locator('#approval-why').textContent()).toContain('second person');
    await secondPage.getByLabel(/Note \(recorded/).fill('Checked the counter log');
    await secondPage.getByRole('button', { name: /^批准 Approve$/ }).click();
    await secondPage.locator('#detail-timeline li', { hasText: 'Handling approved' }).waitFor();
    expect(await secondPage.locator('#approval').isHidden()).toBe(true);
    await secondPage.screenshot({ path: join(shots, 'approved.png'), fullPage: true });
    await secondPage.close();
  });

  it('shows a supervisor the missing-notice banner and provisional due dates, and imports a notice from the Calendar panel', async () => {
    const { api, stateDir } = inject('stack');
    const user = `sam-${Date.now().toString(36)}`;
    const token = mintConsoleToken({ stateDir, roles: ['supervisor'], user });
    const requestId = await createRequest(
      token,
      'pipl-default',
      `console-provisional-${Date.now().toString(36)}@example.com`,
    );
    await assignTo(token, requestId, user);
    // As if the due date had been counted into a year without its notice yet.
    const { deadline } = await storedRequest(requestId);
    await simulateElapsedTime(requestId, {
      deadline: { ...deadline, dueDate: '2027-01-05', provisional: true, provisionalYears: [2027] },
    } as never);

    const pageErrors: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${api}/console`);
    await page.getByLabel(/Console token/).fill(token);
    await page.getByRole('button', { name: /Sign in/ }).click();
    await page.locator('#calendar-rows tr[data-year="2026"]').waitFor();
    expect(await page.locator('#calendar-rows tr[data-year="2026"]').textContent()).toContain('packaged');

    // The API's rule on the same day: from 1 November while next year has no notice.
    const china = calendarsOverview([], new Date()).calendars.find(
      (c) => c.calendarId === 'cn-state-council',
    )!;
    const banner = page.locator('#calendar-banners .calendar-banner');
    if (china.nextYearMissing) {
      expect(await banner.textContent()).toContain(
        `No official ${china.nextYear} calendar yet: dates into ${china.nextYear} are provisional`,
      );
    } else {
      expect(await banner.count()).toBe(0);
    }

    const outcome = page.locator('#calendar-import-form .action-outcome');
    await page
      .getByLabel(/or paste the notice/)
      .fill(JSON.stringify(notice2097([{ date: '2097-01-07', weekday: 'Sunday' }])));
    await page.getByRole('button', { name: /Import the notice/ }).click();
    await outcome.locator('.notice-problems li').first().waitFor();
    expect(await outcome.locator('.notice-problems li').allTextContents()).toEqual([
      '2097-01-07 is a Monday, the notice says Sunday',
      'make-up workday 2097-01-07 is not a weekend day',
    ]);
    await page.getByLabel(/or paste the notice/).fill(JSON.stringify(notice2097()));
    await page.getByRole('button', { name: /Import the notice/ }).click();
    await outcome.getByText('Imported 2097: 1 holiday, 0 make-up workdays').waitFor();
    expect(await page.locator('#calendar-rows tr[data-year="2097"]').textContent()).toContain(
      `imported by ${user}`,
    );
    await page.screenshot({ path: join(shots, 'calendar.png'), fullPage: true });

    await page.getByRole('button', { name: /Mine/ }).click();
    const provisional = page.locator(`tr[data-request-id="${requestId}"] .chip-provisional`);
    await provisional.waitFor();
    expect(await provisional.textContent()).toContain(
      '2027-01-05 (provisional: 2027 calendar not yet published)',
    );
    await page.locator(`tr[data-request-id="${requestId}"] td`).first().click();
    await page.locator('#detail-provisional').waitFor();
    expect(await page.locator('#detail-provisional').textContent()).toContain(
      'Due 2027-01-05 (provisional: 2027 calendar not yet published)',
    );
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
