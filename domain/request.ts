/**
 * The vocabulary of a data subject request. Pure data: no I/O, no AWS imports.
 *
 * Each list is a `const` tuple so that zod schemas, TypeScript unions and the
 * OpenAPI document are all derived from one place.
 */
import { z } from 'zod';

/** What the data subject asks for (PIPL arts. 44-47, GDPR arts. 15-21, CCPA §1798.100-125). */
export const REQUEST_TYPES = [
  'access', // view the data (PIPL art. 45 "consult")
  'copy', // obtain a copy (PIPL art. 45 "copy")
  'portability', // transfer to a named processor (PIPL art. 45 para. 3)
  'correction', // rectify or complete (PIPL art. 46)
  'deletion', // erase (PIPL art. 47)
  'withdraw-consent', // withdraw consent (PIPL art. 15)
  'account-cancellation', // close the account (seed policies: "注销")
  'explain-rules', // explain the processing rules (PIPL art. 48)
  'restrict-processing', // restrict or object to processing (PIPL art. 44)
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const RequestTypeSchema = z.enum(REQUEST_TYPES);

/** What each type is called, in Chinese and English (export packages, SMS codes). */
export const REQUEST_TYPE_LABELS: Readonly<Record<RequestType, readonly [zh: string, en: string]>> = {
  access: ['查阅', 'Access'],
  copy: ['复制', 'Copy'],
  portability: ['转移', 'Portability'],
  correction: ['更正、补充', 'Correction'],
  deletion: ['删除', 'Deletion'],
  'withdraw-consent': ['撤回同意', 'Withdraw consent'],
  'account-cancellation': ['注销账户', 'Account cancellation'],
  'explain-rules': ['解释说明处理规则', 'Explain the processing rules'],
  'restrict-processing': ['限制或拒绝处理', 'Restrict processing'],
};

/** Request types whose fulfilment releases data to someone (identity must be verified first). */
export const DISCLOSING_TYPES: readonly RequestType[] = ['access', 'copy', 'portability', 'explain-rules'];
/** Request types whose fulfilment destroys or changes data (identity must be verified first). */
export const DESTRUCTIVE_TYPES: readonly RequestType[] = [
  'correction',
  'deletion',
  'withdraw-consent',
  'account-cancellation',
  'restrict-processing',
];

/** Who is making the request, relative to the data subject. */
export const REQUESTER_ROLES = [
  'self',
  'guardian', // subject under the profile's guardian age (PIPL art. 31: under 14)
  'authorised-agent', // acting under a written authorisation (CCPA §1798.135, GDPR recital 59)
  'next-of-kin', // close relative of a deceased subject (PIPL art. 49)
] as const;
export type RequesterRole = (typeof REQUESTER_ROLES)[number];
export const RequesterRoleSchema = z.enum(REQUESTER_ROLES);

/** How the request reached us. */
export const CHANNELS = ['web', 'email', 'console', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ChannelSchema = z.enum(CHANNELS);

/** Identifiers by which a subject can be found in data stores. Each must be verified before use. */
export const IDENTIFIER_KINDS = ['email', 'phone', 'accountId'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];
export const IdentifierKindSchema = z.enum(IDENTIFIER_KINDS);

/** Ways the organisation may check who the requester is. */
export const IDENTITY_METHODS = [
  'email-code', // one-time code sent to an email address the subject controls
  'sms-code', // one-time code sent to a phone number
  'account-login', // an authenticated session of the subject's own account
  'id-document', // a copy of an identity document reviewed by an agent
  'in-person', // checked at a counter by an agent
  'phone-callback', // agent calls back the number on file
] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];
export const IdentityMethodSchema = z.enum(IDENTITY_METHODS);
