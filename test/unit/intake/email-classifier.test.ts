import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyRequestEmail, DESTRUCTIVE_TYPES } from '../../../domain/email-classifier';

describe('classifying request emails', () => {
  it.each([
    ['请删除我的个人信息', '', 'deletion'],
    ['申请注销账号', '我想注销我的账号并删除数据', 'account-cancellation'],
    ['删除我的账号', '', 'account-cancellation'],
    ['个人信息副本', '请提供我的个人信息副本', 'copy'],
    ['申请复制个人信息', '', 'copy'],
    ['查阅个人信息', '', 'access'],
    ['访问请求', '', 'access'],
    ['更正个人信息', '我的地址有误', 'correction'],
    ['撤回同意', '我撤回对营销短信的同意', 'withdraw-consent'],
    ['个人信息转移', '请将我的数据转移至另一家公司', 'portability'],
    ['Please delete my data', '', 'deletion'],
    ['Subject access request', 'I would like to see what data you hold', 'access'],
    ['Request for a copy of my data', '', 'copy'],
    ['Close my account', '', 'account-cancellation'],
    ['Data portability', 'Please transfer my data to Acme', 'portability'],
    ['Withdraw consent', 'I withdraw my consent to marketing emails.', 'withdraw-consent'],
    ['Rectification', 'please correct my address', 'correction'],
    ['Restrict processing', '', 'restrict-processing'],
    ['', 'Please explain how you process my personal information', 'explain-rules'],
  ])('reads "%s" / "%s" as %s', (subject, body, type) => {
    expect(classifyRequestEmail(subject, body).type).toBe(type);
  });

  it.each([
    ['please delete my data', 'deletion'],
    ['I want my data deleted, all of it.', 'deletion'],
    ['I am exercising my right to erasure.', 'deletion'],
    ['删除我的个人信息', 'deletion'],
    ['请把我的个人信息全部删除', 'deletion'],
    ['I want my account closed', 'account-cancellation'],
    ['注销账号', 'account-cancellation'],
    ['我要注销', 'account-cancellation'],
    ['Please transfer my personal data to Acme Ltd.', 'portability'],
    ['请将我的个人信息转移至乙公司', 'portability'],
    ['I would like to withdraw my consent to profiling.', 'withdraw-consent'],
    ['我撤回我的同意', 'withdraw-consent'],
  ])('takes the intent phrase "%s" as %s', (body, type) => {
    expect(classifyRequestEmail('', body).type).toBe(type);
  });

  const ENGLISH_DISCLAIMER =
    'This e-mail and any attachments are confidential. If you are not the intended recipient, ' +
    'please notify the sender and erase this e-mail and any copies from your system.';
  const CHINESE_DISCLAIMER =
    '本邮件及其附件含有保密信息，仅限指定收件人使用。如果您错误地收到了本邮件，请立即通知发件人并删除本邮件。';

  it.each([
    ['English', 'Parcel', `Where is the parcel I ordered last week?\n\n--\n${ENGLISH_DISCLAIMER}`],
    ['Chinese', '包裹', `我上周订的包裹还没到，请问怎么回事？\n\n--\n${CHINESE_DISCLAIMER}`],
  ])(
    'sends a mail whose only deletion word is in a %s disclaimer to triage, deletion a candidate',
    (_, subject, body) => {
      expect(classifyRequestEmail(subject, body)).toEqual({ type: undefined, candidates: ['deletion'] });
    },
  );

  it.each([
    ['Erasure', ''],
    ['Withdraw consent', ''],
    ['Data portability', ''],
    ['注销', ''],
    ['删除', '谢谢'],
  ])('sends a lone destructive word "%s" to triage with its type as the candidate', (subject, body) => {
    const { type, candidates } = classifyRequestEmail(subject, body);
    expect(type).toBeUndefined();
    expect(candidates).toHaveLength(1);
  });

  it('still decides a deletion asked for above a disclaimer that also says erase', () => {
    expect(classifyRequestEmail('Please delete my data', `Thanks.\n--\n${ENGLISH_DISCLAIMER}`).type).toBe(
      'deletion',
    );
  });

  it('never makes a destructive type of text that only has a disclaimer for a cue', () => {
    const footer = fc.constantFrom(ENGLISH_DISCLAIMER, CHINESE_DISCLAIMER);
    const filler = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz .,\n'.split('')) });
    fc.assert(
      fc.property(filler, filler, footer, (subject, text, disclaimer) => {
        const { type } = classifyRequestEmail(subject, `${text}\n--\n${disclaimer}`);
        expect(DESTRUCTIVE_TYPES).not.toContain(type);
      }),
    );
  });

  it('sends a mail naming two competing types to triage instead of guessing', () => {
    const result = classifyRequestEmail('', 'Please send me a copy of my data and then erase it');
    expect(result.type).toBeUndefined();
    expect(result.candidates).toEqual(expect.arrayContaining(['copy', 'deletion']));
  });

  it('sends a mail with no cue to triage', () => {
    expect(classifyRequestEmail('Hello', 'Is anyone there?')).toEqual({ type: undefined, candidates: [] });
  });

  it('lets a one-type subject line decide over a chatty body', () => {
    expect(
      classifyRequestEmail('删除个人信息', 'I can see you still hold my data, please copy my manager').type,
    ).toBe('deletion');
  });

  it('never throws and only returns a type among its candidates, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (subject, body) => {
        const { type, candidates } = classifyRequestEmail(subject, body);
        if (type !== undefined) expect(candidates).toContain(type);
      }),
    );
  });
});
