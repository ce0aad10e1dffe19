/**
 * Guesses the request type of an inbound email from its subject and body, in
 * Chinese and English. A guess it cannot make confidently becomes
 * `needs-triage` for the console: a wrong guess would run the wrong
 * fulfilment (worst case, a deletion nobody asked for).
 */
import type { RequestType } from './request';

interface Cue {
  readonly type: RequestType;
  readonly pattern: RegExp;
}

// Ordered from most to least specific: "注销账号" must win over a bare "删除",
// "复制/副本" over "查阅", "撤回同意" over anything that mentions data.
const CUES: readonly Cue[] = [
  {
    type: 'account-cancellation',
    pattern:
      /注销|销户|删除(我的)?(账号|账户|帐号)|close (my|the) account|cancel (my|the) account|account (closure|cancell?ation)|delete (my|the) account/i,
  },
  {
    type: 'withdraw-consent',
    pattern: /撤回(同意|授权)?|withdraw(ing)? (my )?consent|revoke (my )?consent|opt[ -]?out/i,
  },
  {
    type: 'portability',
    pattern: /转移|转至|可携|port(ability|ing)|transfer (my )?(personal )?(data|information)/i,
  },
  {
    type: 'copy',
    pattern:
      /复制|副本|拷贝|(a |an electronic )?copy of (my|the)|export (my )?(personal )?(data|information)/i,
  },
  {
    type: 'correction',
    pattern:
      /更正|补充|修改(我的)?(个人)?信息|correct(ion of)? my|rectif(y|ication)|update my (personal )?(data|information|details)/i,
  },
  {
    type: 'deletion',
    pattern:
      /删除|清除|erase|erasure|delete (my|all)|right to be forgotten|remove my (personal )?(data|information)/i,
  },
  {
    type: 'restrict-processing',
    pattern:
      /限制(处理)?|拒绝(处理)?|restrict(ion)? (of )?processing|object to (the )?processing|stop processing/i,
  },
  {
    type: 'explain-rules',
    pattern: /解释|说明(个人信息)?处理规则|explain|how (do )?you (use|process)|processing rules/i,
  },
  {
    type: 'access',
    pattern:
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
 * go to triage rather than to a guess.
 */
export function classifyRequestEmail(subject: string, body: string): Classification {
  const inSubject = typesCuedIn(subject);
  const inBody = typesCuedIn(body);
  const candidates = [...new Set([...inSubject, ...inBody])];
  if (inSubject.length === 1) return { type: inSubject[0], candidates };
  if (inSubject.length === 0 && inBody.length === 1) return { type: inBody[0], candidates };
  return { type: undefined, candidates };
}

function typesCuedIn(text: string): RequestType[] {
  const found: RequestType[] = [];
  let remaining = text;
  for (const cue of CUES) {
    if (cue.pattern.test(remaining)) {
      found.push(cue.type);
      // Consume the matched words so "注销账号" does not also count as a deletion cue.
      remaining = remaining.replace(new RegExp(cue.pattern.source, 'gi'), ' ');
    }
  }
  return found;
}
