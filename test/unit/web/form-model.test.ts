import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidIdentifier, normaliseIdentifier } from '../../../domain/identifiers';
import { IDENTIFIER_KINDS, REQUEST_TYPES, REQUESTER_ROLES } from '../../../domain/request';
import { submissionSchema } from '../../../domain/submission';

/** The API's schema for an organisation that lists these residences (the form offers only those). */
const SubmissionSchema = submissionSchema([], ['CN', 'EU']);

import type { Submission as Body, FormValues } from '../../../web/client/form-model';
import * as model from '../../../web/client/form-model';
import { PROBLEM_TEXT, VALIDATION_TEXT } from '../../../web/labels';

/**
 * The field the API refuses a body for, or undefined if it takes it: its schema
 * first (the first issue, as the API reports it), then its identifier rules
 * (which answer invalid-identifier, naming the kind in the error).
 */
function apiRefusal(body: Body): string | undefined {
  const parsed = SubmissionSchema.safeParse(JSON.parse(JSON.stringify(body)));
  if (!parsed.success) return parsed.error.issues[0]!.path.join('.');
  for (const kind of IDENTIFIER_KINDS) {
    const value = parsed.data.subject[kind];
    if (value === undefined) continue;
    try {
      normaliseIdentifier(kind, value);
    } catch (error) {
      if (error instanceof InvalidIdentifier) return `subject.${kind}`;
      throw error;
    }
  }
  return undefined;
}

function fieldsOf(problems: { field: string }[]): string[] {
  return problems.map((problem) => problem.field);
}

const text = (max: number) =>
  fc.oneof(
    fc.constant(''),
    fc.constant('   '),
    fc.string({ maxLength: 12 }),
    fc.string({ minLength: max - 2, maxLength: max + 2 }),
  );
const emails = fc.oneof(
  fc.constant(''),
  fc.constant('a@'),
  fc.constant('li.lei'),
  fc.constant(' li.lei@example.com '),
  fc.emailAddress(),
  fc.string({ maxLength: 8 }),
  fc.constant(`${'x'.repeat(250)}@a.cn`),
  fc.constantFrom('li.lei@localhost', 'LI.Lei@Example.COM', 'a b@example.com', 'a@@example.com', 'x@y.c'),
  // Boundaries: a 64- and a 65-character local part, a two- and a one-letter top-level domain.
  fc.constantFrom(`${'x'.repeat(64)}@example.com`, `${'x'.repeat(65)}@example.com`, 'x@y.cn'),
);
const endpoints = fc.oneof(
  fc.constantFrom(
    '',
    'https://recipient.example/import',
    ' https://r.example ',
    'http://recipient.example',
    'https:r.example',
  ),
  fc.constantFrom('not a url', 'https://', 'ftp://r.example', `https://r.example/${'p'.repeat(2040)}`),
  fc.webUrl(),
);
const formValues: fc.Arbitrary<FormValues> = fc.record({
  type: fc.oneof(fc.constantFrom(...REQUEST_TYPES), fc.constant('')),
  residence: fc.constantFrom('', 'CN', 'EU'),
  'subject.email': emails,
  'subject.phone': fc.oneof(
    text(32),
    fc.constantFrom(
      '138 0013 8000',
      '+86 13800138000',
      '(020) 1234-5678',
      '+1-202-555-0101',
      '12345',
      'call me',
    ),
    // Boundaries: 5, 6, 15 and 16 digits.
    fc.constantFrom('12 345', '123456', '+123456789012345', '+1234567890123456'),
    fc.stringMatching(/^\+?[\d ()-]{4,20}$/),
  ),
  'subject.accountId': fc.oneof(
    text(128),
    fc.constantFrom(
      'user-01',
      'li.lei@shop',
      'acc:42',
      'has space',
      '中文账号',
      'a'.repeat(128),
      'a'.repeat(129),
    ),
    fc.stringMatching(/^[\w.:@-]{1,130}$/),
  ),
  'requester.role': fc.constantFrom(...REQUESTER_ROLES),
  'requester.name': text(200),
  'requester.relation': text(200),
  'requester.proof': text(1000),
  'portabilityTarget.recipientName': text(200),
  'portabilityTarget.endpoint': endpoints,
  details: fc.oneof(fc.constant(''), fc.constant('  '), fc.string(), fc.constant('d'.repeat(5001))),
  locale: fc.constantFrom('', 'en', 'zh-CN'),
});

describe('the request form model', () => {
  it('accepts exactly what the API accepts, and names the field the API refuses', () => {
    fc.assert(
      fc.property(formValues, (values) => {
        const body = model.buildSubmission(values);
        const problems = model.validateSubmission(body);
        const refused = apiRefusal(body);
        expect(problems.length === 0).toBe(refused === undefined);
        if (refused !== undefined) expect(fieldsOf(problems)).toContain(refused);
      }),
      { numRuns: 1500 },
    );
    // Thousands of runs through zod: more than the default five seconds on a busy machine.
  }, 30_000);

  it('refuses an https: address without the //, as the API does (fast-check found it)', () => {
    const body = model.buildSubmission({
      type: 'portability',
      'subject.email': 'li.lei@example.com',
      'requester.role': 'self',
      'portabilityTarget.recipientName': 'Other shop',
      'portabilityTarget.endpoint': 'https:r.example',
    } as never);
    expect(fieldsOf(model.validateSubmission(body))).toContain('portabilityTarget.endpoint');
    expect(apiRefusal(body)).toBe('portabilityTarget.endpoint');
  });

  it('builds the body from trimmed values and leaves out empty optional fields', () => {
    const body = model.buildSubmission({
      type: 'access',
      residence: 'EU',
      'subject.email': '  li.lei@example.com ',
      'subject.phone': ' ',
      'requester.role': 'self',
      'requester.relation': 'ignored for self',
      'portabilityTarget.endpoint': 'https://ignored.example',
      details: ' keep my spacing ',
      locale: 'zh-CN',
    });
    expect(body).toEqual({
      type: 'access',
      residence: 'EU',
      subject: { email: 'li.lei@example.com' },
      requester: { role: 'self' },
      locale: 'zh-CN',
      details: ' keep my spacing ',
    });
  });

  it('sends the acting-for fields with another role and the transfer target with a portability request', () => {
    const body = model.buildSubmission({
      type: 'portability',
      'subject.email': 'child@example.com',
      'requester.role': 'guardian',
      'requester.relation': 'mother',
      'portabilityTarget.recipientName': 'New Shop',
      'portabilityTarget.endpoint': 'https://new-shop.example/import',
    });
    expect(body).toMatchObject({
      requester: { role: 'guardian', relation: 'mother' },
      portabilityTarget: { recipientName: 'New Shop', endpoint: 'https://new-shop.example/import' },
      locale: 'en',
    });
    expect(model.validateSubmission(body)).toEqual([]);
  });

  it.each([
    { field: 'type', values: { 'subject.email': 'a@b.cn' }, message: VALIDATION_TEXT.typeRequired },
    { field: 'subject.email', values: { type: 'access' }, message: VALIDATION_TEXT.emailRequired },
    {
      field: 'subject.email',
      values: { type: 'access', 'subject.email': 'li.lei' },
      message: VALIDATION_TEXT.emailInvalid,
    },
    {
      field: 'requester.relation',
      values: { type: 'access', 'subject.email': 'a@b.cn', 'requester.role': 'next-of-kin' },
      message: VALIDATION_TEXT.relationRequired,
    },
    {
      field: 'portabilityTarget.endpoint',
      values: {
        type: 'portability',
        'subject.email': 'a@b.cn',
        'portabilityTarget.recipientName': 'X',
        'portabilityTarget.endpoint': 'http://x.example',
      },
      message: VALIDATION_TEXT.endpointHttps,
    },
  ])('says $message.en for $field', ({ field, values, message }) => {
    expect(model.validateSubmission(model.buildSubmission(values))).toContainEqual({ field, message });
  });

  it('states the length limit in the message for a too-long field', () => {
    const problems = model.validateSubmission(
      model.buildSubmission({ type: 'access', 'subject.email': 'a@b.cn', details: 'd'.repeat(5001) }),
    );
    expect(problems).toEqual([
      {
        field: 'details',
        message: { zh: '内容过长（最多 5000 个字符）', en: 'Too long (at most 5000 characters)' },
      },
    ]);
  });

  it.each([
    ['123456', '123456'],
    [' 123 456 ', '123456'],
    ['123-456', '123456'],
  ])('reads the code %j as %j', (raw, code) => {
    expect(model.validateCode(raw)).toEqual({ code });
  });

  it.each(['12345', 'abcdef', ''])('refuses the code %j before sending it', (raw) => {
    expect(model.validateCode(raw)).toEqual({ message: VALIDATION_TEXT.codeFormat });
  });

  it('puts an API problem next to the field it names, without repeating the field path', () => {
    const placed = model.problemPlacement({
      code: 'invalid-field',
      message: 'subject.email: Too small: expected string to have >=3 characters',
      field: 'subject.email',
    });
    expect(placed).toEqual({
      field: 'subject.email',
      message: {
        zh: PROBLEM_TEXT['invalid-field']!.zh,
        en: 'Too small: expected string to have >=3 characters',
      },
    });
  });

  it('puts a problem with a group of fields next to the first field of the group', () => {
    const placed = model.problemPlacement({
      code: 'invalid-field',
      message: 'portabilityTarget: is required for a portability request',
      field: 'portabilityTarget',
    });
    expect(placed.field).toBe('portabilityTarget.recipientName');
  });

  it('puts a residence the organisation does not list next to the residence field', () => {
    const placed = model.problemPlacement({
      code: 'invalid-field',
      message: "residence: Unknown residence 'x'; known: CN, EU",
      field: 'residence',
    });
    expect(placed).toEqual({
      field: 'residence',
      message: { zh: '请从列表中选择您的居住地', en: "Unknown residence 'x'; known: CN, EU" },
    });
  });

  it('tells how many tries are left in both languages after a wrong code', () => {
    const placed = model.problemPlacement(
      { code: 'wrong-code', message: 'Wrong code; 4 tries left', field: 'code' },
      ['code'],
    );
    expect(placed).toEqual({
      field: 'code',
      message: { zh: '验证码错误，还可尝试 4 次', en: 'Wrong code; 4 tries left' },
    });
  });

  it('leaves a problem without a field for the summary, in general words when the code is unknown', () => {
    const placed = model.problemPlacement({ code: 'something-new', message: 'HTTP 502' });
    expect(placed).toEqual({ field: null, message: { zh: PROBLEM_TEXT.internal!.zh, en: 'HTTP 502' } });
  });
});
