/**
 * The organisation decides which policy a request is under, not the requester.
 *
 * A requester says where they live (a residence the organisation lists); the organisation's settings map
 * each residence to a policy profile. Whatever the profile says, an organisation-wide floor applies on top:
 * request types that always need a person's approval, and the identity methods the organisation accepts at
 * all. The strictest wins: approval types are the union, identity methods the intersection.
 *
 * Pure: the settings come in as data (adapters/config/organisation.ts reads them from the deployment).
 */
import { z } from 'zod';
import { type IdentityMethod, IdentityMethodSchema, type RequestType, RequestTypeSchema } from '../request';
import { getPolicy, POLICY_IDS } from './registry';
import type { PolicyProfile } from './schema';

const BilingualName = z.strictObject({ zh: z.string().min(1).max(100), en: z.string().min(1).max(100) });

export const ResidenceSchema = z.strictObject({
  /** What the form sends, e.g. `CN`, `EU`, `US-CA`: a region code, or another short label the organisation picks. */
  code: z
    .string()
    .regex(/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/, 'expected a code like CN or US-CA')
    .max(32),
  name: BilingualName,
  policyId: z.enum(POLICY_IDS),
});

export type Residence = z.output<typeof ResidenceSchema>;

export const OrganisationFloorSchema = z.strictObject({
  /** Types a person approves before fulfilment, whatever the profile says. */
  approvalRequestTypes: z.array(RequestTypeSchema),
  /** Identity methods the organisation accepts at all; a profile's others are not used. Absent: the profile's. */
  identityMethods: z.array(IdentityMethodSchema).min(1).optional(),
  /**
   * Four eyes: a request taken in the console whose fulfilment exports or erases data waits for the
   * approval of a second console user (neither the one who took it nor the one who checked the
   * requester's identity), so no one user can both vouch for a requester and release or destroy their
   * data; and wherever an approval is needed, taker, identity checker and approver are different people
   * (domain/console/approval.ts). On unless the organisation turns it off (a team of one).
   */
  fourEyes: z.boolean().default(true),
});

export type OrganisationFloor = z.output<typeof OrganisationFloorSchema>;

export const OrganisationSettingsSchema = z
  .strictObject({
    /** The residences the form offers, in display order; the first is the default. */
    residences: z.array(ResidenceSchema).min(1),
    floor: OrganisationFloorSchema,
  })
  .superRefine((settings, context) => {
    const codes = settings.residences.map((residence) => residence.code.toLowerCase());
    codes.forEach((code, index) => {
      if (codes.indexOf(code) !== index)
        context.addIssue({ code: 'custom', path: ['residences', index, 'code'], message: 'appears twice' });
    });
    settings.residences.forEach((residence, index) => {
      if (withFloor(getPolicy(residence.policyId), settings.floor).identityMethods.length === 0)
        context.addIssue({
          code: 'custom',
          path: ['residences', index, 'policyId'],
          message: `the floor's identity methods leave none of ${residence.policyId}'s`,
        });
    });
  });

export type OrganisationSettings = z.output<typeof OrganisationSettingsSchema>;

/** The environment variable through which a deployment hands the settings to its functions, as JSON. */
export const ORGANISATION_SETTINGS_VARIABLE = 'ORGANISATION_SETTINGS';

/**
 * The floor the shipped settings apply: data leaving for a recipient the requester names is never sent on
 * a code alone, whichever profile the residence maps to (CCPA's, say, asks for no approval); and a
 * console user's request to export or erase data waits for a second user's approval.
 */
export const DEFAULT_FLOOR: OrganisationFloor = { approvalRequestTypes: ['portability'], fourEyes: true };

/**
 * Whether four eyes apply under `floor` as kept on a request. A request stored before the setting existed
 * (no floor, or a floor without it) gets the default: on.
 */
export function fourEyesUnder(floor: Partial<OrganisationFloor> | undefined): boolean {
  return floor?.fourEyes !== false;
}

/** The residence a requester named, or the organisation's first (its default) when none was named. */
export function residenceFor(
  settings: OrganisationSettings,
  code: string | undefined,
): Residence | undefined {
  if (code === undefined) return settings.residences[0];
  return settings.residences.find((residence) => residence.code.toLowerCase() === code.toLowerCase());
}

/** The profile as the organisation applies it: the floor over the profile, the strictest of the two. */
export function withFloor(profile: PolicyProfile, floor: OrganisationFloor | undefined): PolicyProfile {
  if (floor === undefined) return profile;
  const approvalTypes = new Set<RequestType>(profile.approvalRequired.requestTypes);
  for (const type of floor.approvalRequestTypes)
    if (profile.rightsOffered.includes(type)) approvalTypes.add(type);
  const identityMethods: IdentityMethod[] =
    floor.identityMethods === undefined
      ? [...profile.identityMethods]
      : profile.identityMethods.filter((method) => floor.identityMethods?.includes(method));
  return {
    ...profile,
    approvalRequired: { ...profile.approvalRequired, requestTypes: [...approvalTypes] },
    identityMethods,
  };
}
