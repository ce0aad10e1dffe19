import { describe, expect, it } from 'vitest';
import { type OutboxMessage, renderOutboxPage } from '../../../local/outbox';

const message = (overrides: Partial<OutboxMessage>): OutboxMessage => ({
  file: '2025-03-01T10-00-00.000Z-000-0123abcd.eml',
  date: '2025-03-01T10:00:00.000Z',
  from: 'privacy@example.com',
  to: ['li.lei@example.net'],
  subject: 'Your code',
  text: 'x',
  ...overrides,
});

describe('renderOutboxPage', () => {
  it('escapes every value taken from a message', () => {
    const page = renderOutboxPage([
      message({ subject: '<img src=x onerror=alert(1)>', to: ['"a"@example.net'] }),
    ]);
    expect(page).not.toContain('<img');
    expect(page).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(page).toContain('&#34;a&#34;@example.net');
  });

  it('links each message to its text view and its raw .eml', () => {
    const page = renderOutboxPage([message({})]);
    expect(page).toContain('href="/outbox/2025-03-01T10-00-00.000Z-000-0123abcd.txt"');
    expect(page).toContain('href="/outbox/2025-03-01T10-00-00.000Z-000-0123abcd.eml"');
  });

  it('keeps the order it is given, which readOutbox makes newest first', () => {
    const page = renderOutboxPage([
      message({ subject: 'Later message' }),
      message({ subject: 'Earlier message' }),
    ]);
    expect(page.indexOf('Later message')).toBeLessThan(page.indexOf('Earlier message'));
  });
});
