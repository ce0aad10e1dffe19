/**
 * The organisation the local tests' stacks run as: the demo shop's residences, plus one residence per
 * other shipped profile, named by its id, so a test can reach any policy's clock through the public form
 * as a requester would (by where they live), never by naming a policy.
 */

import {
  ORGANISATION_SETTINGS_VARIABLE,
  type OrganisationSettings,
} from '../../../domain/policy/organisation';
import { POLICY_IDS } from '../../../domain/policy/registry';
import { DEMO_ORGANISATION_SETTINGS } from '../../../local/demo/organisation';

const mapped = new Set(DEMO_ORGANISATION_SETTINGS.residences.map((residence) => residence.policyId));

export const TEST_ORGANISATION: OrganisationSettings = {
  ...DEMO_ORGANISATION_SETTINGS,
  residences: [
    ...DEMO_ORGANISATION_SETTINGS.residences,
    ...POLICY_IDS.filter((id) => !mapped.has(id)).map((id) => ({
      code: id,
      name: { zh: `测试 ${id}`, en: `Test ${id}` },
      policyId: id,
    })),
  ],
};

/** The residence under which a public submission gets this policy. */
export function residenceOf(policyId: string): string {
  const residence = TEST_ORGANISATION.residences.find((candidate) => candidate.policyId === policyId);
  if (residence === undefined) throw new Error(`No test residence maps to ${policyId}`);
  return residence.code;
}

export const TEST_ORGANISATION_ENV = { [ORGANISATION_SETTINGS_VARIABLE]: JSON.stringify(TEST_ORGANISATION) };
