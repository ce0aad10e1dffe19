/**
 * The requester's pages in a real browser (Debian's Chromium driven by
 * playwright-core) against the local pipeline: the form, the emailed code,
 * the status page, and what a requester sees when something is wrong.
 * Screenshots go to a temporary directory printed at the start, for a human
 * to look at.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserMissing, CHROMIUM, CHROMIUM_ARGS } from '../support/browser';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const missingBrowser = browserMissing('the browser test');

interface OutboxMessage {
  readonly to: readonly string[];
  readonly text: string;
}

async function emailTo(address: string): Promise<OutboxMessage> {
  const { outbox } = inject('stack');
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const messages = (await (await fetch(`${outbox}.json`)).json()) as OutboxMessage[];
    const message = messages.find((candidate) => candidate.to.includes(address));
    if (message) return message;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No email to ${address} in the outbox`);
}

function codeIn(message: OutboxMessage): string {
  const code = /code is: (\d{8})/.exec(message.text)?.[1];
  if (!code) throw new Error('No verification code in the email');
  return code;
}

function aWrongCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

let addressCount = 0;
function anAddress(): string {
  addressCount += 1;
  return `web-${Date.now().toString(36)}-${addressCount}@example.com`;
}

describe.skipIf(missingBrowser)('the requester pages in a browser', () => {
  let context: BrowserContext;
  let shots: string;
  /** Script errors and CSP refusals on any page; a failed HTTP status is the API answering, not an error. */
  const pageErrors: string[] = [];

  async function openPage(path: string, viewport = DESKTOP): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    await page.setViewportSize(viewport);
    await page.goto(`${inject('stack').api}${path}`);
    return page;
  }

  /**
   * Screen-sized parts (`<name>-1.png`, `<name>-2.png`, …), as a person scrolls
   * through the page. Not one full-page shot: Chromium resizes the view for
   * those, and a click right after one can miss its target.
   */
  async function screenshot(page: Page, name: string): Promise<void> {
    const { height } = page.viewportSize()!;
    const pageHeight = Number(await page.evaluate('document.documentElement.scrollHeight'));
    const scrolledTo = Number(await page.evaluate('window.scrollY'));
    for (let top = 0, part = 1; top < pageHeight; top += height, part += 1) {
      await page.evaluate(`window.scrollTo(0, ${top})`);
      await page.screenshot({ path: join(shots, `${name}-${part}.png`) });
    }
    await page.evaluate(`window.scrollTo(0, ${scrolledTo})`);
  }

  async function textOf(page: Page, selector: string): Promise<string> {
    return (await page.locator(selector).textContent()) ?? '';
  }

  // Expressions run in the page; strings because this project compiles without the DOM library.
  async function fitsTheScreen(page: Page): Promise<boolean> {
    return (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) === true;
  }

  async function focusedName(page: Page): Promise<unknown> {
    return page.evaluate("document.activeElement?.getAttribute('name')");
  }

  beforeAll(async () => {
    shots = await mkdtemp(join(tmpdir(), 'dsar-web-'));
    console.log(`Browser test screenshots: ${shots}`);
    context = await chromium.launchPersistentContext(join(shots, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  it('takes a request from the form through the emailed code to the status page', async () => {
    const page = await openPage('/');
    await screenshot(page, 'form-desktop');
    const address = anAddress();

    await page.getByRole('radio', { name: /Get a copy/ }).check();
    await page.getByLabel(/Email address/).fill(address);
    await page.getByRole('button', { name: /Submit request/ }).click();
    await page.getByRole('heading', { name: /Check your email/ }).waitFor();
    expect(await textOf(page, '#verify-email')).toBe(address);
    await screenshot(page, 'verify-desktop');

    const code = codeIn(await emailTo(address));
    const codeInput = page.getByLabel(/8-digit code/);
    await codeInput.fill(aWrongCode(code));
    await page.getByRole('button', { name: /Verify/ }).click();
    await page.locator('#error-code', { hasText: 'tries left' }).waitFor();
    expect(await textOf(page, '#error-code')).toContain('Wrong code; 4 tries left');
    expect(await textOf(page, '#error-code')).toContain('还可尝试 4 次');
    expect(await codeInput.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'wrong-code-desktop');

    await codeInput.fill(code);
    await page.getByRole('button', { name: /Verify/ }).click();
    await page.waitForURL(/\/status\?id=dsr-[^&]+&token=/);
    await page.locator('#status-view').waitFor();

    // Verification starts fulfilment at once, so the page may already show the next status.
    expect(await textOf(page, '#status-badge')).toMatch(/Verified|In progress/);
    expect(await textOf(page, '#policy-name')).toContain('CAftrade');
    expect(await textOf(page, '#request-type')).toContain('Get a copy');
    // The demo policy gives 15 calendar days from verification, moved past a rest day if need be.
    expect(Number(await textOf(page, '.countdown-number'))).toBeGreaterThanOrEqual(15);
    expect(await textOf(page, '#countdown')).toContain('days left');
    expect(await page.locator('#countdown-progress').getAttribute('value')).toBe('0');
    const timeline = await page.locator('#timeline li').allTextContents();
    expect(timeline.join('\n')).toMatch(
      /Request received[\s\S]*Verification code sent[\s\S]*Identity verified/,
    );
    expect(timeline.join('\n')).toContain('Status: Verified');
    await screenshot(page, 'status-desktop');

    await page.setViewportSize(PHONE);
    expect(await fitsTheScreen(page)).toBe(true);
    await screenshot(page, 'status-phone');

    // The request came in through the web channel.
    const url = new URL(page.url());
    const status = await fetch(`${inject('stack').api}/v1/requests/${url.searchParams.get('id')}`, {
      headers: { authorization: `Bearer ${url.searchParams.get('token')}` },
    });
    expect(((await status.json()) as { channel: string }).channel).toBe('web');
    await page.close();
  });

  it('takes the code on the status page the email links to, for someone acting for another person', async () => {
    const form = await openPage('/', PHONE);
    const address = anAddress();
    await form.getByRole('radio', { name: /Transfer to another organisation/ }).check();
    await form.getByLabel(/Email address/).fill(address);
    await form.getByRole('radio', { name: /Authorised agent/ }).check();
    await form.getByLabel(/Your relation to the person/).fill('attorney');
    await form.getByLabel(/Proof you will provide/).fill('A power of attorney');
    await form.getByLabel(/Organisation to receive your data/).fill('New Shop Ltd');
    await form.getByLabel(/HTTPS address/).fill('https://new-shop.example/import');
    expect(await fitsTheScreen(form)).toBe(true);
    await screenshot(form, 'form-filled-phone');
    await form.getByRole('button', { name: /Submit request/ }).click();
    await form.getByRole('heading', { name: /Check your email/ }).waitFor();
    await form.close();

    const email = await emailTo(address);
    const link = /Track progress: (\S+)/.exec(email.text)?.[1];
    expect(link).toMatch(/\/status\?id=dsr-[^&]+&token=/);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.setViewportSize(PHONE);
    await page.goto(link!);
    await page.locator('#status-view').waitFor();
    expect(await textOf(page, '#status-badge')).toContain('Waiting for verification');
    expect(await textOf(page, '#countdown')).toContain('The clock starts when you verify your email');
    expect(await fitsTheScreen(page)).toBe(true);
    await screenshot(page, 'status-pending-phone');

    await page.getByLabel(/8-digit code/).fill(codeIn(email));
    await page.getByRole('button', { name: /Verify/ }).click();
    await page.locator('#status-note', { hasText: 'reviewing your authority' }).waitFor();
    expect(await page.locator('#verify-step').isHidden()).toBe(true);
    expect((await page.locator('#timeline li').allTextContents()).join('\n')).toContain('Identity verified');
    expect(await textOf(page, '#countdown')).toContain(
      'The clock starts once an agent has checked your authority',
    );
    await screenshot(page, 'status-review-phone');
    await page.close();
  });

  it("shows the form's own checks next to each field, announced, with the focus on the first", async () => {
    const page = await openPage('/', PHONE);
    await page.getByLabel(/Email address/).focus();
    await page.keyboard.press('Enter');
    await page.locator('#form-errors li').first().waitFor();

    expect(await page.locator('#form-errors').getAttribute('role')).toBe('alert');
    expect(await textOf(page, '#error-type')).toContain('Choose what you are asking for');
    expect(await textOf(page, '#error-subject-email')).toContain('Enter an email address');
    expect(await focusedName(page)).toBe('type');

    await page.getByRole('radio', { name: /Transfer to another organisation/ }).check();
    await page.getByLabel(/Email address/).fill('li.lei@example.com');
    await page.getByLabel(/HTTPS address/).fill('http://new-shop.example');
    await page.getByRole('button', { name: /Submit request/ }).click();
    await page.locator('#error-portabilityTarget-endpoint', { hasText: 'https://' }).waitFor();
    expect(await textOf(page, '#error-portabilityTarget-recipientName')).toContain('Name the organisation');
    expect(await fitsTheScreen(page)).toBe(true);
    await screenshot(page, 'form-errors-phone');
    await page.close();
  });

  it("shows the API's own message next to the field it concerns", async () => {
    const page = await openPage('/');
    // A residence the organisation stopped listing after the page was served: only the API can know.
    await page.locator('#residence option:checked').evaluate((option: { value: string }) => {
      option.value = 'retired-region';
    });
    await page.getByRole('radio', { name: /See my data/ }).check();
    await page.getByLabel(/Email address/).fill(anAddress());
    await page.getByRole('button', { name: /Submit request/ }).click();
    await page.locator('#error-residence', { hasText: 'retired-region' }).waitFor();

    expect(await textOf(page, '#error-residence')).toContain("Unknown residence 'retired-region'");
    expect(await textOf(page, '#error-residence')).toContain('请从列表中选择您的居住地');
    expect(await page.locator('#residence').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedName(page)).toBe('residence');
    expect(await page.locator('#request-step').isVisible()).toBe(true);
    await screenshot(page, 'form-api-error-desktop');
    await page.close();
  });

  it('says so when the status link is wrong, without showing anything', async () => {
    const page = await openPage('/status?id=dsr-00000000-0000-0000-0000-000000000000&token=wrong');
    await page.locator('#status-message .notice-error').waitFor();
    expect(await textOf(page, '#status-message')).toContain('找不到此请求');
    expect(await page.locator('#status-view').isHidden()).toBe(true);
    await page.close();
  });

  it('ran every page without a script error or a Content-Security-Policy refusal', () => {
    expect(pageErrors).toEqual([]);
  });
});
