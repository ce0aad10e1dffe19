/**
 * "This was not me" (issue 13) over HTTP: the code mail says what the code approves and carries a
 * cancel link; opening it shows a confirm page and changes nothing; its button's POST cancels.
 */
import { describe, expect, inject, it } from 'vitest';
import { call, codeIn, submitRequest, uniqueEmail, verifyCode, waitForMail } from '../support/pipeline';

function cancelLinkIn(text: string): URL {
  const link = /(\S+\/not-me\?token=\S+)/.exec(text)?.[1];
  if (!link) throw new Error('no cancel link in the mail');
  return new URL(link);
}

describe('the "this was not me" link', () => {
  it('names the request in the code mail, confirms on a page, and cancels on the POST', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('not-me');
    const submitted = await submitRequest(stack, { type: 'deletion', subject: { email } });
    expect(submitted.status).toBe(202);
    const requestId = submitted.body.requestId as string;
    const mail = await waitForMail(stack, email);
    expect(mail.text).toContain('This code approves a request for DELETING your personal information');
    const link = cancelLinkIn(mail.text);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    const html = await page.text();
    expect(html).toContain(requestId);
    expect(html).toContain('<form method="post" action="cancel?token=');

    // Opening the page (as a mail scanner would) cancelled nothing; a wrong token cancels nothing either.
    const cancelUrl = new URL(`cancel${link.search}`, link);
    const wrong = await call(new URL(`cancel?token=${'A'.repeat(43)}`, link).toString(), { method: 'POST' });
    expect(wrong).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });

    const cancelled = await call(cancelUrl.toString(), { method: 'POST' });
    expect(cancelled).toMatchObject({ status: 200, body: { requestId, status: 'cancelled' } });
    expect((await verifyCode(stack, requestId, codeIn(mail))).status).toBe(409);
  });

  it('can no longer cancel a request whose fulfilment has started', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('not-me-late');
    const submitted = await submitRequest(stack, { type: 'access', subject: { email } });
    const requestId = submitted.body.requestId as string;
    const mail = await waitForMail(stack, email);
    expect((await verifyCode(stack, requestId, codeIn(mail))).status).toBe(200);

    const link = cancelLinkIn(mail.text);
    const answer = await call(new URL(`cancel${link.search}`, link).toString(), { method: 'POST' });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'fulfilment-started' } } });
  });
});
