/**
 * Who on the organisation's side hears of a request's timers. Console users
 * are named by their sign-in id, which is an email address in most set-ups
 * (Cognito, most OIDC issuers) but may be an opaque subject (`auth0|…`) or a
 * bare user name; only an address can be mailed, so anything else falls back
 * to the team's shared address, where someone always reads.
 */
import { z } from 'zod';

const EmailAddressSchema = z.email();

/** The assignee when their id is an email address, else the team address. */
export function reminderRecipient(
  assignee: string | undefined,
  teamAddress: string,
): { readonly to: string; readonly recipient: 'assignee' | 'team' } {
  if (assignee !== undefined && EmailAddressSchema.safeParse(assignee).success) {
    return { to: assignee, recipient: 'assignee' };
  }
  return { to: teamAddress, recipient: 'team' };
}
