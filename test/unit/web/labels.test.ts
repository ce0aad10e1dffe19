import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES } from '../../../domain/audit';
import { REQUEST_STATUSES } from '../../../domain/lifecycle';
import { listPolicies } from '../../../domain/policy/registry';
import { CHANNELS, REQUEST_TYPES, REQUESTER_ROLES } from '../../../domain/request';
import {
  ACTOR_TEXT,
  type Bilingual,
  CHANNEL_TEXT,
  CLOSED_STATUSES,
  CONSOLE_STATUS_TEXT,
  clockSummary,
  PROBLEM_TEXT,
  REQUEST_TYPE_TEXT,
  REQUESTER_ROLE_TEXT,
  STATUS_TEXT,
  STORE_RESULT_TEXT,
  TIMELINE_TEXT,
  VALIDATION_TEXT,
} from '../../../web/labels';

/** Chinese text has Han characters; the English side has none. */
function expectBilingual(text: Bilingual) {
  expect(text.zh).toMatch(/\p{Script=Han}/u);
  expect(text.en).toMatch(/^[^\p{Script=Han}]+$/u);
}

describe('the page labels', () => {
  it.each(REQUEST_STATUSES)('names the status %s for the console in both languages', (status) => {
    expectBilingual(CONSOLE_STATUS_TEXT[status]);
  });

  it('names every channel, kind of actor and store result in both languages', () => {
    for (const channel of CHANNELS) expect(CHANNEL_TEXT[channel].en).not.toBe('');
    for (const text of [...Object.values(ACTOR_TEXT), ...Object.values(STORE_RESULT_TEXT)])
      expectBilingual(text);
  });

  it.each(REQUEST_TYPES)('names and explains the request type %s in both languages', (type) => {
    expectBilingual(REQUEST_TYPE_TEXT[type].label);
    expectBilingual(REQUEST_TYPE_TEXT[type].explanation);
  });

  it.each(REQUESTER_ROLES)('names the requester role %s in both languages', (role) => {
    expectBilingual(REQUESTER_ROLE_TEXT[role]);
  });

  it('names the guardian by the age the chosen policy sets, in both languages', () => {
    expect(REQUESTER_ROLE_TEXT.guardian.zh).toContain('{age}');
    expect(REQUESTER_ROLE_TEXT.guardian.en).toContain('{age}');
  });

  it.each(REQUEST_STATUSES)('names the status %s in both languages', (status) => {
    expectBilingual(STATUS_TEXT[status]);
  });

  it.each(AUDIT_EVENT_TYPES)('names the timeline event %s in both languages', (event) => {
    expectBilingual(TIMELINE_TEXT[event]);
  });

  it('gives every problem and validation message both languages', () => {
    for (const text of [...Object.values(PROBLEM_TEXT), ...Object.values(VALIDATION_TEXT)])
      expectBilingual(text);
  });

  it('shows each two different statuses with different words', () => {
    const words = REQUEST_STATUSES.map((status) => STATUS_TEXT[status].en);
    expect(new Set(words).size).toBe(words.length);
  });

  it('treats finished requests, and only those, as closed for the countdown', () => {
    expect([...CLOSED_STATUSES].sort()).toEqual(
      ['cancelled', 'expired-unverified', 'fulfilled', 'partially-fulfilled', 'refused'].sort(),
    );
  });

  it.each([
    {
      policy: 'caftrade',
      zh: '自核实您的身份之日起 15 日内答复',
      en: 'We reply within 15 calendar days of verifying your identity',
    },
    {
      policy: 'gdpr',
      zh: '自收到请求之日起 1 个月内答复',
      en: 'We reply within 1 month of receiving your request',
    },
  ])('words the reply promise of $policy', ({ policy, zh, en }) => {
    const profile = listPolicies().find((candidate) => candidate.id === policy)!;
    expect(clockSummary(profile)).toEqual({ zh, en });
  });
});
