/**
 * The organisation's settings (domain/policy/organisation.ts) as the deployment gives them: the
 * `ORGANISATION_SETTINGS` environment variable holds them as JSON (infra/config.ts `residences` and
 * `floor`, validated at synth; local mode sets the demo organisation's). Without it, one residence under
 * `DEFAULT_POLICY_ID` and the default floor. Read once per container, at first use.
 */
import { z } from 'zod';
import {
  DEFAULT_FLOOR,
  ORGANISATION_SETTINGS_VARIABLE,
  type OrganisationSettings,
  OrganisationSettingsSchema,
} from '../../domain/policy/organisation';

let settings: OrganisationSettings | undefined;

export function organisationSettings(): OrganisationSettings {
  if (settings) return settings;
  const raw = process.env[ORGANISATION_SETTINGS_VARIABLE];
  if (raw === undefined || raw === '') {
    settings = {
      residences: [
        {
          code: 'default',
          name: { zh: '默认', en: 'Default' },
          policyId: OrganisationSettingsSchema.shape.residences.element.shape.policyId.parse(
            process.env.DEFAULT_POLICY_ID ?? 'pipl-default',
          ),
        },
      ],
      floor: DEFAULT_FLOOR,
    };
    return settings;
  }
  const parsed = OrganisationSettingsSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    // A deployment validates them at synth; this is a local misconfiguration, named plainly.
    throw new Error(`${ORGANISATION_SETTINGS_VARIABLE} is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  settings = parsed.data;
  return settings;
}
