import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyRequestEmail } from '../../../domain/email-classifier';

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
    ['Withdraw consent', '', 'withdraw-consent'],
    ['Rectification', 'please correct my address', 'correction'],
    ['Restrict processing', '', 'restrict-processing'],
    ['', 'Please explain how you process my personal information', 'explain-rules'],
  ])('reads "%s" / "%s" as %s', (subject, body, type) => {
    expect(classifyRequestEmail(subject, body).type).toBe(type);
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
