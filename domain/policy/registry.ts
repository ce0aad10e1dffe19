/**
 * The policy profiles, loaded once from their JSON files and validated at load.
 *
 * The files are imported statically, not read from disk, so esbuild bundles them into each Lambda
 * and a malformed profile fails the first import (and the unit tests), never a request.
 */
import { z } from 'zod';
import { InvalidInput, PermanentError } from '../errors';
import bestcert from './profiles/bestcert.json' with { type: 'json' };
import caftrade from './profiles/caftrade.json' with { type: 'json' };
import ccpa from './profiles/ccpa.json' with { type: 'json' };
import gdpr from './profiles/gdpr.json' with { type: 'json' };
import lgpd from './profiles/lgpd.json' with { type: 'json' };
import piplDefault from './profiles/pipl-default.json' with { type: 'json' };
import qianxin from './profiles/qianxin.json' with { type: 'json' };
import sufe from './profiles/sufe.json' with { type: 'json' };
import system from './profiles/system.json' with { type: 'json' };
import ukGdpr from './profiles/uk-gdpr.json' with { type: 'json' };
import { type PolicyProfile, PolicyProfileSchema } from './schema';

/** Every profile id, seeds first (000-004), then the statutory defaults. */
export const POLICY_IDS = [
  'caftrade',
  'system',
  'sufe',
  'qianxin',
  'bestcert',
  'pipl-default',
  'gdpr',
  'uk-gdpr',
  'ccpa',
  'lgpd',
] as const;
export type PolicyId = (typeof POLICY_IDS)[number];

/** A policy id that names no profile. */
export class UnknownPolicy extends InvalidInput {
  override name = 'UnknownPolicy' as const;
  readonly code = 'unknown-policy';
  readonly policyId: string;

  constructor(policyId: string) {
    super(`Unknown policy '${policyId}'; valid policies: ${POLICY_IDS.join(', ')}`);
    this.policyId = policyId;
  }
}

/** A profile file that does not match the schema, or whose id is not the one it is filed under. */
export class InvalidPolicyProfile extends PermanentError {
  override name = 'InvalidPolicyProfile' as const;
  readonly code = 'invalid-policy-profile';
  readonly policyId: string;

  constructor(policyId: string, reason: string) {
    super(`Policy profile '${policyId}' is invalid:\n${reason}`);
    this.policyId = policyId;
  }
}

/** Validates one profile's raw data; the message names each failing field by its path. */
export function parsePolicyProfile(expectedId: string, data: unknown): PolicyProfile {
  const result = PolicyProfileSchema.safeParse(data);
  if (!result.success) throw new InvalidPolicyProfile(expectedId, z.prettifyError(result.error));
  if (result.data.id !== expectedId) {
    throw new InvalidPolicyProfile(expectedId, `✖ its id is '${result.data.id}'\n  → at id`);
  }
  return result.data;
}

const RAW_PROFILES: Record<PolicyId, unknown> = {
  caftrade,
  system,
  sufe,
  qianxin,
  bestcert,
  'pipl-default': piplDefault,
  gdpr,
  'uk-gdpr': ukGdpr,
  ccpa,
  lgpd,
};

const PROFILES: ReadonlyMap<string, PolicyProfile> = new Map(
  POLICY_IDS.map((id) => [id, Object.freeze(parsePolicyProfile(id, RAW_PROFILES[id]))]),
);

export function isPolicyId(id: string): id is PolicyId {
  return PROFILES.has(id);
}

/** All profiles, in POLICY_IDS order. */
export function listPolicies(): PolicyProfile[] {
  return POLICY_IDS.map((id) => getPolicy(id));
}

/** The profile with this id; throws UnknownPolicy (listing the valid ids) for any other id. */
export function getPolicy(id: string): PolicyProfile {
  const profile = PROFILES.get(id);
  if (profile === undefined) throw new UnknownPolicy(id);
  return profile;
}
