/**
 * Guesses the request type of an inbound email from its subject and body, in
 * Chinese and English. A guess it cannot make confidently becomes
 * `needs-triage` for the console: a wrong guess would run the wrong
 * fulfilment (worst case, a deletion nobody asked for). Destructive types
 * (DESTRUCTIVE_TYPES) need a phrase that asks ("please delete my data",
 * "删除我的个人信息", "注销账号"); the bare word, as in a confidentiality
 * footer ("…delete or erase this message"), only makes the type a candidate.
 */
import type { RequestType } from './request';

interface Cue {
  readonly type: RequestType;
  /** A phrase that asks for this type: the only thing that may decide a destructive one. */
  readonly intent: RegExp;
  /**
   * Destructive types only: a word that names the type without asking for it
   * ("erase" in a confidentiality footer, 删除 in 请删除本邮件). It makes the
   * type a candidate for the agent, and the mail goes to triage.
   */
  readonly mention?: RegExp;
}

/**
 * Types a wrong guess cannot take back (data erased, an account closed, data
 * sent elsewhere, processing stopped): decided only on an intent phrase.
 */
export const DESTRUCTIVE_TYPES: readonly RequestType[] = [
  'deletion',
  'account-cancellation',
  'portability',
  'withdraw-consent',
];

// Ordered from most to least specific: "注销账号" must win over a bare "删除",
// "复制/副本" over "查阅", "撤回同意" over anything that mentions data.
const CUES: readonly Cue[] = [
  {
    type: 'account-cancellation',
    intent:
      /注销(我的|本人的?)?(账号|账户|帐号|帐户|会员)|(申请|要求|请求|我要|我想|请|希望)(帮我)?(注销|销户)|删除(我的|本人的?)?(账号|账户|帐号|帐户)|(close|cancel|delete|terminate|deactivate) my account|(want|like|wish|need) (my|the) account (to be )?(closed|cancell?ed|deleted|terminated)|account (closure|cancell?ation|deletion) request|request (for|to) (close|cancel|delete) my account/i,
    mention:
      /注销|销户|删除(我的)?(账号|账户|帐号)|close (my|the) account|cancel (my|the) account|account (closure|cancell?ation)|delete (my|the) account/i,
  },
  {
    type: 'withdraw-consent',
    intent:
      /(我|本人)(要|想|希望|现|在此|特此)?(申请)?撤回.{0,20}?(同意|授权)|撤回(我的|本人的?)(同意|授权)|(申请|要求|请求)撤回.{0,20}?(同意|授权)|\b(I|we)\b( hereby)?( want to| wish to| would like to|'d like to)? (withdraw|revoke) (my |our |the |all )?consent|(withdraw|withdrawing|revoke|revoking) my consent|withdrawal of my consent|\b(I|we)\b (want|wish|would like|'d like) to opt[ -]?out/i,
    mention: /撤回(同意|授权)?|withdraw(ing)? (my )?consent|revoke (my )?consent|opt[ -]?out/i,
  },
  {
    type: 'portability',
    intent:
      /(将|把)(我的|本人的?)(个人)?(信息|数据|资料).{0,12}?(转移|转至|转给|传输|迁移)|(转移|迁移)(我的|本人的?)(个人)?(信息|数据|资料)|(申请|要求|请求)(个人信息|数据)?(转移|可携)|(transfer|port|move|transmit) (all )?(of )?my (personal )?(data|information) (over )?to|(data )?portability request|request (for )?(data )?portability|(exercise|exercising|invoke|invoking) my right to (data )?portability/i,
    mention: /转移|转至|可携|port(ability|ing)|transfer (my )?(personal )?(data|information)/i,
  },
  {
    type: 'copy',
    intent:
      /复制|副本|拷贝|(a |an electronic )?copy of (my|the)|export (my )?(personal )?(data|information)/i,
  },
  {
    type: 'correction',
    intent:
      /更正|补充|修改(我的)?(个人)?信息|correct(ion of)? my|rectif(y|ication)|update my (personal )?(data|information|details)/i,
  },
  {
    type: 'deletion',
    intent:
      /(删除|清除|删掉)(我的|我在.{0,12}?的|本人的?)(全部|所有)?的?(个人)?(信息|数据|资料|记录)|(删除|清除|删掉)(全部|所有)?的?个人(信息|数据|资料)|(把|将)我的(个人)?(信息|数据|资料).{0,6}?(删除|删掉|清除)|(申请|要求|请求)(删除|清除)|(delete|erase|remove|wipe|purge) (all )?(of )?my (personal )?(data|information|details|records|info)\b|(delete|erase|remove) all (of )?(the )?(personal )?(data|information) (that |which )?you (hold|have|store|keep)|(want|like|wish|need|ask you|asking you) (to have )?(all )?(of )?my (personal )?(data|information|details) (to be )?(deleted|erased|removed)|(request|requesting|exercise|exercising|invoke|invoking)( for| to| of)?( my)? (the )?(right to (be forgotten|erasure)|erasure|deletion)\b|(erasure|deletion) request|request (for|to) (erasure|deletion|delete|erase)/i,
    mention:
      /删除|清除|erase|erasure|delete (my|all)|right to be forgotten|remove my (personal )?(data|information)/i,
  },
  {
    type: 'restrict-processing',
    intent:
      /限制(处理)?|拒绝(处理)?|restrict(ion)? (of )?processing|object to (the )?processing|stop processing/i,
  },
  {
    type: 'explain-rules',
    intent: /解释|说明(个人信息)?处理规则|explain|how (do )?you (use|process)|processing rules/i,
  },
  {
    type: 'access',
    intent:
      /查阅|访问|查询|subject access|access (to )?my|see (my|what)|what (personal )?(data|information) (do )?you (hold|have)|\bDSAR\b|\bSAR\b/i,
  },
];

export interface Classification {
  /** The detected type, or undefined when the mail needs a person to decide. */
  readonly type: RequestType | undefined;
  /** Every type with a cue in the text, most specific first: shown to the triaging agent. */
  readonly candidates: readonly RequestType[];
}

/**
 * The subject line decides when it names exactly one type; otherwise the
 * body must name exactly one. Two competing types (e.g. "copy, then delete")
 * go to triage rather than to a guess. A destructive type is decided only
 * when an intent phrase for it is in the subject or the body; a lone keyword
 * (a footer's "erase", a disclaimer's 删除) makes it a candidate, not a type.
 */
export function classifyRequestEmail(subject: string, body: string): Classification {
  const inSubject = typesCuedIn(subject);
  const inBody = typesCuedIn(body);
  const candidates = [...new Set([...inSubject, ...inBody].map((cued) => cued.type))];
  const asked = (type: RequestType) =>
    !DESTRUCTIVE_TYPES.includes(type) ||
    [...inSubject, ...inBody].some((cued) => cued.type === type && cued.intended);
  const decided =
    inSubject.length === 1
      ? inSubject[0]
      : inSubject.length === 0 && inBody.length === 1
        ? inBody[0]
        : undefined;
  return { type: decided && asked(decided.type) ? decided.type : undefined, candidates };
}

interface CuedType {
  readonly type: RequestType;
  /** An intent phrase, not only a mention. */
  readonly intended: boolean;
}

function typesCuedIn(text: string): CuedType[] {
  const found: CuedType[] = [];
  let remaining = text;
  for (const cue of CUES) {
    const intended = cue.intent.test(remaining);
    if (intended || cue.mention?.test(remaining)) {
      found.push({ type: cue.type, intended });
      // Consume the matched words so "注销账号" does not also count as a deletion cue.
      for (const pattern of [cue.intent, cue.mention]) {
        if (pattern) remaining = remaining.replace(new RegExp(pattern.source, 'gi'), ' ');
      }
    }
  }
  return found;
}
