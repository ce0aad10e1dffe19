/**
 * Grounds on which an organisation may decline to act on a data subject request.
 *
 * The first eight are the statutory list that seeds 000 (CAftrade, §5.7) and 002 (SUFE, §VII.9) both
 * print, item for item: it is the list of GB/T 35273-2020 (Personal information security
 * specification) §8.7, which Chinese privacy policies copy. The next four are the policy-level
 * grounds those seeds and seed 003 add in their own words. The rest belong to the GDPR, UK GDPR,
 * CCPA and LGPD profiles. Ids are stable kebab-case: they are stored on refused requests and shown in
 * reports, so an id is never renamed or reused.
 */
import type { Regime } from './regimes';

export interface RefusalGround {
  readonly id: string;
  /** Chinese text, as the ground reads in GB/T 35273-2020 or in the seed policies. */
  readonly zh: string;
  /** English text, as the ground reads in the seed policies or the statute. */
  readonly en: string;
  /**
   * The provision the ground rests on, named as the requester can look it up: the law and article,
   * or the organisation's privacy policy. It is returned by the console API, so it never cites the
   * seed documents the profiles were written from (those stay in comments here and in the profiles).
   */
  readonly basis: string;
  /** Regimes whose profiles may list the ground. */
  readonly regimes: readonly Regime[];
}

// The statutory list that seeds 000 §5.7 and 002 §VII.9 copy.
const GB_T_35273 = 'GB/T 35273-2020 (Personal information security specification) §8.7';
// Grounds seeds 000 §5.7, 002 §VII.9 and 003 §六 add in their own words.
const PRIVACY_POLICY_TERMS = 'The organisation’s privacy policy (the requests it may decline)';

export const REFUSAL_GROUNDS = [
  {
    id: 'controller-legal-obligation',
    zh: '与个人信息控制者履行法律法规规定的义务相关的',
    en: 'It relates to the performance of obligations that laws and regulations place on the controller.',
    basis: GB_T_35273,
    regimes: ['pipl'],
  },
  {
    id: 'national-security',
    zh: '与国家安全、国防安全直接相关的',
    en: 'It is directly related to national security or national defence security.',
    basis: GB_T_35273,
    regimes: ['pipl'],
  },
  {
    id: 'public-safety-health-interest',
    zh: '与公共安全、公共卫生、重大公共利益直接相关的',
    en: 'It is directly related to public safety, public health or a major public interest.',
    basis: GB_T_35273,
    regimes: ['pipl'],
  },
  {
    id: 'criminal-proceedings',
    zh: '与刑事侦查、起诉、审判和执行判决等直接相关的',
    en: 'It is directly related to criminal investigation, prosecution, trial or enforcement of judgments.',
    basis: GB_T_35273,
    regimes: ['pipl'],
  },
  {
    id: 'bad-faith-or-abuse',
    zh: '个人信息控制者有充分证据表明个人信息主体存在主观恶意或滥用权利的',
    en: 'There is sufficient evidence that the requester acts with subjective malice or abuses the right.',
    basis: GB_T_35273,
    regimes: ['pipl'],
  },
  {
    id: 'vital-interests-consent-impractical',
    zh: '出于维护个人信息主体或其他个人的生命、财产等重大合法权益但又很难得到本人授权同意的',
    en: 'It safeguards the life, property or other major legitimate interests of the subject or others, and consent is difficult to obtain.',
    basis: GB_T_35273,
    regimes: ['pipl'],
  },
  {
    id: 'serious-harm-to-rights',
    zh: '响应个人信息主体的请求将导致个人信息主体或其他个人、组织的合法权益受到严重损害的',
    en: 'Responding would seriously damage the legitimate rights and interests of the subject or of other individuals or organisations.',
    basis: GB_T_35273,
    regimes: ['pipl'],
  },
  {
    id: 'trade-secrets',
    zh: '涉及商业秘密的',
    en: 'It involves trade secrets.',
    basis: GB_T_35273,
    regimes: ['pipl'],
  },
  {
    id: 'unreasonably-repetitive',
    zh: '无端重复的请求',
    en: 'The request is unreasonably repetitive or otherwise unreasonable.',
    basis: PRIVACY_POLICY_TERMS,
    regimes: ['pipl'],
  },
  {
    id: 'excessive-technical-means',
    zh: '需要过多技术手段（例如，需要开发新系统或从根本上改变现行惯例）',
    en: 'It requires excessive technical means, such as developing a new system or fundamentally changing existing practice.',
    basis: PRIVACY_POLICY_TERMS,
    regimes: ['pipl'],
  },
  {
    id: 'impractical',
    zh: '非常不切实际的请求（例如，涉及备份磁带上存放的信息）',
    en: 'It is highly impractical, for example it concerns information stored on backup tapes.',
    basis: PRIVACY_POLICY_TERMS,
    regimes: ['pipl'],
  },
  {
    id: 'not-requesters-data',
    zh: '请求涉及不属于您的个人信息',
    en: 'The request concerns personal information that does not belong to the requester.',
    // Seed 003 §六.
    basis: 'The organisation’s privacy policy; PIPL art. 44 grants rights over one’s own information only',
    regimes: ['pipl'],
  },
  {
    id: 'identity-not-verified',
    // The privacy policy's words are those of seeds 000 §5.7 and 002 §VII.9.
    zh: '无法验证请求人身份',
    en: 'The requester’s identity could not be verified.',
    basis:
      'GDPR art. 12(2) and (6); UK GDPR art. 12(2) and (6); CCPA §1798.140(ak) and 11 CCR §7060; LGPD art. 18 §3 (express request by the subject or a legal representative); the organisation’s privacy policy ("only after successful verification")',
    regimes: ['pipl', 'gdpr', 'uk-gdpr', 'ccpa', 'lgpd'],
  },
  {
    id: 'manifestly-unfounded-or-excessive',
    zh: '明显无根据或过度的请求（特别是重复性请求）',
    en: 'The request is manifestly unfounded or excessive, in particular because of its repetitive character.',
    basis: 'GDPR art. 12(5); UK GDPR art. 12(5); CCPA §1798.145',
    regimes: ['gdpr', 'uk-gdpr', 'ccpa'],
  },
  {
    id: 'rights-and-freedoms-of-others',
    zh: '将对他人的权利和自由产生不利影响',
    en: 'Complying would adversely affect the rights and freedoms of others.',
    basis: 'GDPR art. 15(4); UK GDPR art. 15(4) and DPA 2018 Sch. 2 para. 16; CCPA §1798.145',
    regimes: ['gdpr', 'uk-gdpr', 'ccpa'],
  },
  {
    id: 'legal-obligation-retention',
    zh: '为履行法定义务须保留数据（仅限删除请求）',
    en: 'The data must be kept to comply with a legal obligation (erasure requests only).',
    basis: 'GDPR art. 17(3)(b); UK GDPR art. 17(3)(b); CCPA §1798.105(d)(8); LGPD art. 16 I',
    regimes: ['gdpr', 'uk-gdpr', 'ccpa', 'lgpd'],
  },
  {
    id: 'legal-claims',
    zh: '为提起、行使或抗辩法律主张所必需（仅限删除请求）',
    en: 'The data is needed to establish, exercise or defend legal claims (erasure requests only).',
    basis:
      'GDPR art. 17(3)(e); UK GDPR art. 17(3)(e); LGPD art. 7 VI (regular exercise of rights in proceedings)',
    regimes: ['gdpr', 'uk-gdpr', 'lgpd'],
  },
  {
    id: 'freedom-of-expression',
    zh: '为行使言论和信息自由所必需（仅限删除请求）',
    en: 'The data is needed to exercise the right of freedom of expression and information (erasure requests only).',
    basis: 'GDPR art. 17(3)(a); UK GDPR art. 17(3)(a); CCPA §1798.105(d)(4)',
    regimes: ['gdpr', 'uk-gdpr', 'ccpa'],
  },
  {
    id: 'right-to-know-limit-reached',
    zh: '十二个月内已两次提供同类信息',
    en: 'The business already answered two requests to know from this consumer in the last 12 months.',
    basis: 'CCPA §1798.130(b)',
    regimes: ['ccpa'],
  },
  {
    id: 'not-processing-agent',
    zh: '本机构并非该数据的处理主体',
    en: 'The organisation is not a processing agent of the data, and tells the requester who is where it can.',
    basis: 'LGPD art. 18 §4 I',
    regimes: ['lgpd'],
  },
] as const satisfies readonly RefusalGround[];

export type RefusalGroundId = (typeof REFUSAL_GROUNDS)[number]['id'];
export const REFUSAL_GROUND_IDS = REFUSAL_GROUNDS.map((ground) => ground.id) as [
  RefusalGroundId,
  ...RefusalGroundId[],
];

/** The eight grounds of the statutory list in seeds 000 and 002 (GB/T 35273-2020 §8.7). */
export const STATUTORY_PIPL_GROUNDS: readonly RefusalGroundId[] = [
  'controller-legal-obligation',
  'national-security',
  'public-safety-health-interest',
  'criminal-proceedings',
  'bad-faith-or-abuse',
  'vital-interests-consent-impractical',
  'serious-harm-to-rights',
  'trade-secrets',
];
