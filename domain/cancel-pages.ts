/**
 * The two small pages of the "this was not me" link (app/intake/cancel-request.ts), in Chinese and
 * English together like the notices: the confirm page (GET: it only asks) and the answer to the
 * cancel (POST from its button). No script; a form whose action is the cancel route, relative to the
 * page, with the token in its query (a plain form posts no body, which the route requires).
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './escape-html';
import { APPROVED_ACTION } from './notices';
import type { RequestType } from './request';

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
  'button{font-size:1rem;padding:.6rem 1.2rem}.en{color:#444}';

/** Only this page's own style and a form posting to this origin; nothing else. */
export const CANCEL_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function both(zh: string, en: string): string {
  return `<p><span lang="zh-CN">${escapeHtml(zh)}</span><br><span lang="en" class="en">${escapeHtml(en)}</span></p>`;
}

export interface CancelPageInput {
  readonly requestId: string;
  readonly type: RequestType | null;
  readonly organisation: string;
}

function what(input: CancelPageInput): string {
  const action = input.type ? APPROVED_ACTION[input.type] : undefined;
  return both(
    `请求 ${input.requestId}：${action ? action.zh : '个人信息请求'}`,
    `Request ${input.requestId}: ${action ? action.en : 'a personal information request'}`,
  );
}

/** Asks before cancelling: opening the link changes nothing. */
export function confirmCancelPage(input: CancelPageInput & { readonly token: string }): string {
  const action = `cancel?${new URLSearchParams({ token: input.token })}`;
  return page(
    '取消请求 / Cancel the request',
    `<h1>这不是我提出的 / This was not me</h1>${what(input)}${both(
      '如果这不是您提出的请求，请点击下面的按钮取消。取消后不会再处理此请求。',
      'If you did not make this request, cancel it with the button below. Nothing more will be done with it.',
    )}<form method="post" action="${escapeHtml(action)}"><button type="submit">取消此请求 / Cancel this request</button></form><p>${escapeHtml(input.organisation)}</p>`,
  );
}

export type CancelAnswer = 'cancelled' | 'too-late';

/** What the link did (or why it cannot): cancelled, or fulfilment has already started. */
export function cancelAnswerPage(input: CancelPageInput & { readonly answer: CancelAnswer }): string {
  const text =
    input.answer === 'cancelled'
      ? both('此请求已取消。', 'This request is cancelled.')
      : both(
          '此请求已开始处理，无法通过此链接取消。如果这不是您提出的请求，请立即联系我们。',
          'This request is already being carried out and can no longer be cancelled by this link. If you did not make it, contact us at once.',
        );
  return page(
    input.answer === 'cancelled' ? '请求已取消 / Request cancelled' : '无法取消 / Cannot cancel',
    `${what(input)}${text}<p>${escapeHtml(input.organisation)}</p>`,
  );
}
