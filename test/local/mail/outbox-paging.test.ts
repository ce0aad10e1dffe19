/**
 * The outbox with more mail than a process may open files at once (25,000
 * messages; the default soft limit on open files is often 20,000 or less).
 * The messages are written straight into the outbox directory, named as the
 * outbox names them, so the test spends its time listing, not sending.
 */
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OUTBOX_DEFAULT_PAGE_SIZE,
  OUTBOX_READ_CONCURRENCY,
  type Outbox,
  type OutboxMessage,
  readOutboxPage,
  startOutbox,
} from '../../../local/outbox';

const MESSAGES = 25_000;
const FIRST_SENT = Date.parse('2026-03-01T08:00:00.000Z');

/** The file name the outbox gives the `index`-th message (one every 10 ms). */
function fileFor(index: number): string {
  const stamp = new Date(FIRST_SENT + index * 10).toISOString().replace(/:/g, '-');
  return `${stamp}-000-${index.toString(16).padStart(8, '0')}.eml`;
}

function emlFor(index: number): string {
  return [
    'Return-Path: <privacy@example.com>',
    `Delivered-To: subject-${index}@example.net`,
    'From: privacy@example.com',
    `To: subject-${index}@example.net`,
    `Subject: Message ${index}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body of message ${index}.`,
    '',
  ].join('\r\n');
}

/** Open file descriptors of this process (Linux); undefined where /proc is not there. */
function openDescriptors(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

/** Runs `work` while sampling this process's open descriptors; returns its result and the peak. */
async function withPeakDescriptors<T>(work: () => Promise<T>): Promise<{ result: T; peak?: number }> {
  let peak = openDescriptors();
  const sampler = setInterval(() => {
    const now = openDescriptors();
    if (now !== undefined && (peak === undefined || now > peak)) peak = now;
  }, 1);
  try {
    const result = await work();
    return peak === undefined ? { result } : { result, peak };
  } finally {
    clearInterval(sampler);
  }
}

describe('an outbox of 25,000 messages', () => {
  let stateDir: string;
  let outbox: Outbox;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-outbox-paging-'));
    const dir = join(stateDir, 'outbox');
    await mkdir(dir, { recursive: true });
    for (let start = 0; start < MESSAGES; start += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, MESSAGES - start) }, (_, offset) =>
          writeFile(join(dir, fileFor(start + offset)), emlFor(start + offset)),
        ),
      );
    }
    outbox = await startOutbox({ stateDir });
  }, 120_000);

  afterAll(async () => {
    await outbox?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  const listing = (query = '') => fetch(`${outbox.endpoint}/outbox.json${query}`);

  it('answers the first page, newest first, with a link to the next', async () => {
    const response = await listing('?limit=50');

    expect(response.status).toBe(200);
    const messages = (await response.json()) as OutboxMessage[];
    expect(messages.map((message) => message.subject)).toEqual(
      Array.from({ length: 50 }, (_, offset) => `Message ${MESSAGES - 1 - offset}`),
    );
    expect(messages[0]).toMatchObject({
      file: fileFor(MESSAGES - 1),
      to: [`subject-${MESSAGES - 1}@example.net`],
      date: new Date(FIRST_SENT + (MESSAGES - 1) * 10).toISOString(),
    });
    expect(response.headers.get('link')).toBe(
      `</outbox.json?limit=50&before=${encodeURIComponent(fileFor(MESSAGES - 50))}>; rel="next"`,
    );
  });

  it('follows the next links from the newest message to the oldest without a gap or a repeat', async () => {
    const files: string[] = [];
    let next: string | undefined = '/outbox.json?limit=1000';
    let pages = 0;
    while (next !== undefined) {
      const response = await fetch(`${outbox.endpoint}${next}`);
      expect(response.status).toBe(200);
      files.push(...((await response.json()) as OutboxMessage[]).map((message) => message.file));
      next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
      pages += 1;
    }

    expect(pages).toBe(MESSAGES / 1000);
    expect(files).toEqual(Array.from({ length: MESSAGES }, (_, index) => fileFor(MESSAGES - 1 - index)));
  }, 120_000);

  it('ends with a short last page that has no next link', async () => {
    const response = await listing(`?limit=100&before=${encodeURIComponent(fileFor(30))}`);

    const messages = (await response.json()) as OutboxMessage[];
    expect(messages.map((message) => message.file)).toEqual(
      Array.from({ length: 30 }, (_, index) => fileFor(29 - index)),
    );
    expect(response.headers.get('link')).toBeNull();
  });

  it('pages with the default size when only before is given', async () => {
    const page = await readOutboxPage(stateDir, { before: fileFor(MESSAGES - 1) });

    expect(page.messages).toHaveLength(OUTBOX_DEFAULT_PAGE_SIZE);
    expect(page.messages[0]?.file).toBe(fileFor(MESSAGES - 2));
    expect(page.next).toBe(fileFor(MESSAGES - 1 - OUTBOX_DEFAULT_PAGE_SIZE));
  });

  it('still answers every message to a caller that asks for no page, opening few files at once', async () => {
    const { result: response, peak } = await withPeakDescriptors(() => listing());
    const before = openDescriptors();

    expect(response.status).toBe(200);
    const messages = (await response.json()) as OutboxMessage[];
    expect(messages).toHaveLength(MESSAGES);
    expect(messages[0]?.subject).toBe(`Message ${MESSAGES - 1}`);
    expect(messages.at(-1)?.subject).toBe('Message 0');
    if (peak !== undefined && before !== undefined) {
      // The sockets and pipes of the test process come and go too: a generous margin, far below 25,000.
      expect(peak - before).toBeLessThan(OUTBOX_READ_CONCURRENCY + 64);
    }
  }, 120_000);

  it('shows one page on the HTML page, with a link to older messages', async () => {
    const page = await (await fetch(`${outbox.endpoint}/outbox`)).text();

    expect(page).toContain(`${OUTBOX_DEFAULT_PAGE_SIZE} message(s), newest first`);
    expect(page).toContain(`Message ${MESSAGES - 1}`);
    expect(page).not.toContain(`Message ${MESSAGES - 1 - OUTBOX_DEFAULT_PAGE_SIZE}<`);
    expect(page).toContain(
      `href="/outbox?limit=${OUTBOX_DEFAULT_PAGE_SIZE}&#38;before=${encodeURIComponent(fileFor(MESSAGES - OUTBOX_DEFAULT_PAGE_SIZE))}"`,
    );
  });

  it.each([
    ['a limit of 0', '?limit=0'],
    ['a limit over the largest page', '?limit=1001'],
    ['a limit that is not a number', '?limit=ten'],
    ['a before that names no outbox file', '?before=..%2Fsecrets'],
  ])('refuses %s with 400', async (_, query) => {
    const response = await listing(query);

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
  });
});
