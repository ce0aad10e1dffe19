/**
 * index.html: the page a person opens first in their export package. It says,
 * in Chinese and English, what data the package holds, from which store and
 * in which categories, how many records, what the organisation keeps after
 * erasure and why, and what backups still hold.
 *
 * Self-contained: inline CSS, no scripts, no external resources, and a
 * Content-Security-Policy that forbids both, so the page is safe to open from
 * a download folder. Every value is HTML-escaped; the CSP is the second line.
 * Pure: no I/O, `generatedAt` comes in as an argument.
 */
import { escapeHtml } from '../escape-html';
import { REQUEST_TYPE_LABELS } from '../request';
import type { Erasure } from '../stores/schema';
import {
  MANIFEST_FILE,
  type PackageCategory,
  type PackageRequest,
  type PackageStore,
  type RetentionNotes,
  storeFileNames,
} from './package';

export interface IndexPageInput {
  readonly request: PackageRequest;
  readonly organisation?: string;
  /** ISO-8601 instant. */
  readonly generatedAt: string;
  readonly stores: readonly PackageStore[];
  readonly retention: RetentionNotes;
}

const PERIOD_UNITS: Readonly<Record<'days' | 'months' | 'years', readonly [zh: string, en: string]>> = {
  days: ['日', 'days'],
  months: ['个月', 'months'],
  years: ['年', 'years'],
};

/** Both languages, Chinese first: the seed policies are Chinese, and English follows for everyone else. */
function bilingual(zh: string, en: string): string {
  return `<span lang="zh-CN">${escapeHtml(zh)}</span> <span lang="en" class="en">${escapeHtml(en)}</span>`;
}

function period(length: number, unit: 'days' | 'months' | 'years'): readonly [zh: string, en: string] {
  const [zh, en] = PERIOD_UNITS[unit];
  return [`${length} ${zh}`, `${length} ${en}`];
}

/** What an erasure request does to a category, in words. */
function erasureText(erasure: Erasure): string {
  switch (erasure.mode) {
    case 'delete':
      return bilingual('删除请求时删除', 'Deleted when you ask for erasure');
    case 'anonymise':
      return `${bilingual('删除请求时匿名化以下字段：', 'Anonymised when you ask for erasure; fields:')} <code>${escapeHtml(erasure.fields.join(', '))}</code>`;
    case 'retain': {
      const [zh, en] = period(erasure.retainFor.length, erasure.retainFor.unit);
      return `${bilingual(`依法保留 ${zh}`, `Kept by law for ${en}`)} — ${escapeHtml(erasure.basis)}`;
    }
  }
}

function categoryRows(categories: readonly PackageCategory[]): string {
  return categories
    .map(
      (category) =>
        `<tr><td><code>${escapeHtml(category.id)}</code></td><td>${escapeHtml(category.description)}</td>` +
        `<td>${erasureText(category.erasure)}</td></tr>`,
    )
    .join('\n');
}

function storeSection(store: PackageStore): string {
  const files = storeFileNames(store.storeId);
  return `<section>
<h3>${escapeHtml(store.description)} <code>${escapeHtml(store.storeId)}</code></h3>
<p>${bilingual('记录数：', 'Records:')} <strong>${store.recordCount}</strong> ·
<a href="${escapeHtml(encodeURIComponent(files.json))}">${escapeHtml(files.json)}</a> ·
<a href="${escapeHtml(encodeURIComponent(files.csv))}">${escapeHtml(files.csv)}</a></p>
<table>
<thead><tr><th>${bilingual('类别', 'Category')}</th><th>${bilingual('说明', 'Description')}</th><th>${bilingual('删除与保留', 'Erasure and retention')}</th></tr></thead>
<tbody>
${categoryRows(store.categories)}
</tbody>
</table>
</section>`;
}

function retentionSection(retention: RetentionNotes): string {
  const holds =
    retention.legalHolds.length === 0
      ? `<p>${bilingual('无法定保留要求。', 'No records are kept under a legal hold.')}</p>`
      : `<ul>\n${retention.legalHolds
          .map((hold) => {
            const [zh, en] = period(hold.retainFor.length, hold.retainFor.unit);
            return (
              `<li><strong>${escapeHtml(hold.description)}</strong> — ${escapeHtml(hold.basis)}; ` +
              `${bilingual(`保留 ${zh}，自`, `kept for ${en} from`)} ${escapeHtml(hold.from)}</li>`
            );
          })
          .join('\n')}\n</ul>`;
  const backup =
    retention.backupCaveat === undefined
      ? ''
      : `<h3>${bilingual('备份', 'Backups')}</h3>\n<p>${escapeHtml(retention.backupCaveat)}</p>`;
  return `<section>
<h2>${bilingual('依法保留的信息', 'What we keep by law')}</h2>
${holds}
${backup}
</section>`;
}

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.en{color:#555}code{font-size:.9em}dt{font-weight:600}dd{margin:0 0 .5rem}`;

export function renderIndexPage(input: IndexPageInput): string {
  const { request } = input;
  const [typeZh, typeEn] = REQUEST_TYPE_LABELS[request.type];
  const total = input.stores.reduce((sum, store) => sum + store.recordCount, 0);
  const lang = request.locale === 'zh-CN' ? 'zh-CN' : 'en';
  const facts: [string, string, string][] = [
    ['请求编号', 'Request', request.requestId],
    ['请求类型', 'Type', `${typeZh} / ${typeEn}`],
    ['适用政策', 'Policy', request.policyName],
    ['收到时间', 'Received', request.receivedAt],
    ...(request.verifiedOn
      ? [['身份核验日期', 'Identity verified on', request.verifiedOn] as [string, string, string]]
      : []),
    ['答复期限', 'Reply due', request.dueDate ?? '—'],
    ['生成时间', 'Generated', input.generatedAt],
    ['记录总数', 'Records in total', String(total)],
  ];
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>个人信息副本 · Your personal data</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${bilingual('您的个人信息副本', 'Your personal data')}</h1>
${input.organisation !== undefined ? `<p>${escapeHtml(input.organisation)}</p>` : ''}
<dl>
${facts.map(([zh, en, value]) => `<dt>${bilingual(zh, en)}</dt><dd>${escapeHtml(value)}</dd>`).join('\n')}
</dl>
<h2>${bilingual('数据来源与类别', 'Where the data comes from')}</h2>
<p>${bilingual(
    '每个数据存储各有一个 JSON 文件（完整数据）和一个 CSV 文件（可用 Excel 打开）。',
    'Each store has a JSON file (the complete data) and a CSV file (opens in a spreadsheet).',
  )}</p>
${input.stores.map(storeSection).join('\n')}
${retentionSection(input.retention)}
<h2>${bilingual('文件校验', 'Checking the files')}</h2>
<p>${bilingual(
    '每个文件的 SHA-256 校验值和字节数列在',
    'The SHA-256 digest and size of every file are listed in',
  )} <a href="${MANIFEST_FILE}">${MANIFEST_FILE}</a>.</p>
</body>
</html>
`;
}
