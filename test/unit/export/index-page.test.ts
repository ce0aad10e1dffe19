import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../domain/escape-html';
import { type IndexPageInput, renderIndexPage } from '../../../domain/export/index-page';

const HOSTILE = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>&amp;';

function pageInput(text: (field: string) => string = (field) => field): IndexPageInput {
  return {
    request: {
      requestId: 'dsr-1',
      type: 'copy',
      policyId: 'caftrade',
      policyName: text('policyName'),
      locale: 'zh-CN',
      receivedAt: '2025-09-26T02:00:00.000Z',
      verifiedOn: '2025-09-26',
      dueDate: '2025-10-27',
    },
    organisation: text('organisation'),
    generatedAt: '2025-09-30T08:00:00.000Z',
    stores: [
      {
        storeId: 'accounts',
        description: text('storeDescription'),
        recordCount: 3,
        categories: [
          { id: 'account', description: text('categoryDescription'), erasure: { mode: 'delete' } },
          {
            id: 'orders',
            description: text('ordersDescription'),
            erasure: {
              mode: 'retain',
              basis: text('basis'),
              retainFor: { length: 3, unit: 'years' },
            },
          },
          {
            id: 'comments',
            description: text('commentsDescription'),
            erasure: { mode: 'anonymise', fields: ['nickname'], strategy: 'hmac' },
          },
        ],
      },
    ],
    retention: {
      legalHolds: [
        {
          category: 'transaction-records',
          description: text('holdDescription'),
          basis: text('holdBasis'),
          retainFor: { length: 3, unit: 'years' },
          from: text('holdFrom'),
        },
      ],
      backupCaveat: text('backupCaveat'),
    },
  };
}

/** Every markup character of a page: escaped text contributes none, so this is the page's structure. */
const markup = (html: string) => html.replace(/[^<>"']/g, '');

describe('the index page of an export package', () => {
  it('says in Chinese and English what the package holds, from where, and what is kept', () => {
    const html = renderIndexPage(pageInput());
    for (const heading of [
      '您的个人信息副本',
      'Your personal data',
      '数据来源与类别',
      'What we keep by law',
      '备份',
      'Backups',
    ]) {
      expect(html).toContain(heading);
    }
    expect(html).toContain('<code>accounts</code>');
    expect(html).toContain('<strong>3</strong>');
    expect(html).toContain('href="accounts.json"');
    expect(html).toContain('href="accounts.csv"');
    expect(html).toContain('Kept by law for 3 years');
    expect(html).toContain('<code>nickname</code>');
    expect(html).toContain('backupCaveat');
    expect(html).toContain('<html lang="zh-CN">');
  });

  it('loads nothing from outside and runs no script', () => {
    const html = renderIndexPage(pageInput());
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|https?:/i);
  });

  it('escapes hostile text so that it shows as text and never becomes markup', () => {
    const html = renderIndexPage(pageInput(() => HOSTILE));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(HOSTILE));
  });

  it('keeps the same markup whatever text it is given', () => {
    const structure = markup(renderIndexPage(pageInput(() => 'plain')));
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('<', '>', '"', "'", '&', '/', 's', '=', ' ', '中') }),
        (value) => {
          expect(markup(renderIndexPage(pageInput(() => value)))).toBe(structure);
        },
      ),
    );
  });

  it('says so when the policy keeps nothing under a legal hold and makes no backup caveat', () => {
    const input = pageInput();
    const html = renderIndexPage({ ...input, retention: { legalHolds: [] } });
    expect(html).toContain('No records are kept under a legal hold.');
    expect(html).not.toContain('Backups');
  });
});
