/**
 * The legal regimes a policy profile can belong to. A profile names exactly one,
 * and refusal grounds say which regimes they exist in.
 */
export const REGIMES = [
  'pipl', // PRC Personal Information Protection Law (2021) and its standards
  'gdpr', // Regulation (EU) 2016/679
  'uk-gdpr', // UK GDPR with the Data Protection Act 2018
  'ccpa', // California Consumer Privacy Act as amended by the CPRA
  'lgpd', // Brazil, Lei Geral de Proteção de Dados (Lei 13.709/2018)
] as const;
export type Regime = (typeof REGIMES)[number];
