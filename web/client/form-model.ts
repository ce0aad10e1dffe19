/**
 * What the request form computes: the body it sends, its own checks (the same
 * rules as the API's schema, domain/submission.ts, so a requester hears about
 * a mistake before sending), and where an API problem belongs on the page.
 * The form page bundles this module; test/unit/web imports it and checks it
 * against the API's schema, so what is tested is what ships.
 *
 * Pure: no DOM, no network.
 */
import type { Bilingual } from '../labels';
import { lookup } from './lookup';
import { PROBLEM_TEXT, REQUEST_TYPES, VALIDATION_TEXT } from './server-facts';

/** The names of the form's inputs: the API's field paths, so an API problem names its input directly. */
export const FORM_FIELDS = [
  'type',
  'residence',
  'subject.email',
  'subject.phone',
  'subject.accountId',
  'requester.role',
  'requester.name',
  'requester.relation',
  'requester.proof',
  'portabilityTarget.recipientName',
  'portabilityTarget.endpoint',
  'details',
  'locale',
] as const;

export type FormField = (typeof FORM_FIELDS)[number];

/** The raw form values: field path -> the input's text. */
export type FormValues = Partial<Record<FormField, string>>;

/** The body of POST /v1/requests as the form builds it. */
export interface Submission {
  type: string;
  residence?: string;
  subject: { email?: string; phone?: string; accountId?: string };
  requester: { role: string; name?: string; relation?: string; proof?: string };
  locale: 'zh-CN' | 'en';
  portabilityTarget?: { recipientName: string; endpoint: string };
  details?: string;
}

export interface FieldProblem {
  field: string;
  message: Bilingual;
}

/** An API problem body: `{ error: { code, message, field? } }`. */
export interface ApiProblem {
  code: string;
  message: string;
  field?: string;
  problems?: string[];
}

/**
 * The JSON body for POST /v1/requests from the raw form values (field path ->
 * string). Values are trimmed and empty optional fields left out, as the API
 * would read them; the acting-for fields go only with a role other than self,
 * and the transfer target only with a portability request.
 */
export function buildSubmission(values: FormValues): Submission {
  const text = (name: FormField) => {
    const value = values[name];
    return typeof value === 'string' ? value.trim() : '';
  };
  const optional = (entries: [string, string][]) =>
    Object.fromEntries(entries.filter(([, value]) => value !== ''));
  const role = text('requester.role') || 'self';
  const body: Submission = {
    type: text('type'),
    ...optional([['residence', text('residence')]]),
    subject: optional([
      ['email', text('subject.email')],
      ['phone', text('subject.phone')],
      ['accountId', text('subject.accountId')],
    ]),
    requester:
      role === 'self'
        ? { role }
        : {
            role,
            ...optional([
              ['name', text('requester.name')],
              ['relation', text('requester.relation')],
              ['proof', text('requester.proof')],
            ]),
          },
    locale: text('locale') === 'zh-CN' ? 'zh-CN' : 'en',
  };
  if (body.type === 'portability') {
    body.portabilityTarget = {
      recipientName: text('portabilityTarget.recipientName'),
      endpoint: text('portabilityTarget.endpoint'),
    };
  }
  const details = typeof values.details === 'string' ? values.details : '';
  if (details.trim() !== '') body.details = details;
  return body;
}

function tooLong(max: number): Bilingual {
  return {
    zh: VALIDATION_TEXT.tooLong.zh.replace('{max}', String(max)),
    en: VALIDATION_TEXT.tooLong.en.replace('{max}', String(max)),
  };
}

/**
 * The identifier rules of domain/identifiers.ts (normaliseEmail, normalisePhone,
 * normaliseAccountId), which the API applies after its schema.
 */
function isEmailAddress(text: string): boolean {
  return /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@.]{2,63}$/.test(text.toLowerCase());
}

function isPhoneNumber(text: string): boolean {
  return /^\+?\d{6,15}$/.test(text.replace(/[\s\-().]/g, ''));
}

function isAccountId(text: string): boolean {
  return /^[\w.\-:@]{1,128}$/.test(text);
}

function isHttpsUrl(text: string): boolean {
  // `https:r.example` parses (as https://r.example) but is not the absolute URL the API asks for.
  if (!/^https:\/\//i.test(text)) return false;
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Every problem with a body built by buildSubmission, as { field, message }
 * with the field's API path: the API's schema, then its identifier rules.
 */
export function validateSubmission(body: Submission): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const check = (field: FormField, failed: boolean, message: Bilingual) => {
    if (failed && !problems.some((problem) => problem.field === field)) problems.push({ field, message });
  };
  const { subject, requester } = body;
  check('type', !(REQUEST_TYPES as readonly string[]).includes(body.type), VALIDATION_TEXT.typeRequired);
  check('residence', body.residence !== undefined && body.residence.length > 32, tooLong(32));
  // A phone alone is verified by SMS where the policy and the deployment allow it (the API says if not).
  check(
    'subject.email',
    subject.email === undefined && subject.phone === undefined,
    VALIDATION_TEXT.emailRequired,
  );
  check('subject.email', subject.email !== undefined && subject.email.length > 254, tooLong(254));
  check(
    'subject.email',
    subject.email !== undefined && !isEmailAddress(subject.email),
    VALIDATION_TEXT.emailInvalid,
  );
  check(
    'subject.phone',
    subject.phone !== undefined &&
      (subject.phone.length < 6 || subject.phone.length > 32 || !isPhoneNumber(subject.phone)),
    VALIDATION_TEXT.phoneInvalid,
  );
  check('subject.accountId', subject.accountId !== undefined && subject.accountId.length > 128, tooLong(128));
  check(
    'subject.accountId',
    subject.accountId !== undefined && !isAccountId(subject.accountId),
    VALIDATION_TEXT.accountIdInvalid,
  );
  check('requester.name', requester.name !== undefined && requester.name.length > 200, tooLong(200));
  check(
    'requester.relation',
    requester.role !== 'self' && requester.relation === undefined,
    VALIDATION_TEXT.relationRequired,
  );
  check(
    'requester.relation',
    requester.relation !== undefined && requester.relation.length > 200,
    tooLong(200),
  );
  check('requester.proof', requester.proof !== undefined && requester.proof.length > 1000, tooLong(1000));
  const target = body.portabilityTarget;
  if (target) {
    check('portabilityTarget.recipientName', target.recipientName === '', VALIDATION_TEXT.recipientRequired);
    check('portabilityTarget.recipientName', target.recipientName.length > 200, tooLong(200));
    check('portabilityTarget.endpoint', target.endpoint === '', VALIDATION_TEXT.endpointRequired);
    check('portabilityTarget.endpoint', !isHttpsUrl(target.endpoint), VALIDATION_TEXT.endpointHttps);
    check('portabilityTarget.endpoint', target.endpoint.length > 2048, tooLong(2048));
  }
  check('details', body.details !== undefined && body.details.length > 5000, tooLong(5000));
  return problems;
}

/** The verification code as the API wants it: digits only, spaces and dashes from copying removed. */
export function validateCode(raw: unknown): { code: string } | { message: Bilingual } {
  const code = String(raw).replace(/[\s-]/g, '');
  return /^\d{6,10}$/.test(code) ? { code } : { message: VALIDATION_TEXT.codeFormat };
}

/**
 * Where an API problem ({ code, message, field? }) is shown, and in what
 * words: next to the input its field names (or the first input under it, for
 * "portabilityTarget"), else in the summary. The API's message is kept, minus
 * the field path it starts with, with a Chinese gloss by code.
 */
export function problemPlacement(
  problem: ApiProblem,
  fields: readonly string[] = FORM_FIELDS,
): { field: string | null; message: Bilingual } {
  let field: string | null = null;
  if (problem.field) {
    const named = problem.field;
    field =
      fields.find((name) => name === named) ?? fields.find((name) => name.startsWith(`${named}.`)) ?? null;
  }
  const prefix = `${problem.field ?? ''}: `;
  const message =
    problem.field && problem.message.startsWith(prefix)
      ? problem.message.slice(prefix.length)
      : problem.message;
  // A residence the API refuses is always one the organisation does not list, whatever code the validator used.
  const gloss =
    lookup(PROBLEM_TEXT, field === 'residence' ? 'unknown-residence' : problem.code) ??
    PROBLEM_TEXT.internal!;
  const triesLeft = problem.code === 'wrong-code' ? /(\d+) tries? left/.exec(problem.message) : null;
  const zh = triesLeft ? `${gloss.zh}，还可尝试 ${triesLeft[1]} 次` : gloss.zh;
  return { field, message: { zh, en: message } };
}
