/**
 * The per-client rate limit of the public routes, kept by the pipeline itself (not only by API Gateway's
 * throttles, which are per stage and route, not per client), so it holds locally and on AWS alike: a
 * counter per route and client per minute (domain/intake-limits.ts), the client known only by a keyed
 * hash of its source address.
 */
import { type ClientRateDecision, COUNTERS, clientRate, fixedWindow } from '../../domain/intake-limits';
import { hashSecret } from '../../domain/verification';
import type { Clock, SecretsReader } from '../ports';
import type { AbuseCounters } from './ports';

export interface ClientRateDeps {
  readonly counters: AbuseCounters;
  readonly secrets: SecretsReader;
  readonly clock: Clock;
}

const WINDOW_SECONDS = 60;

export async function admitClient(
  deps: ClientRateDeps,
  input: { readonly route: string; readonly clientAddress: string; readonly limitPerMinute: number },
): Promise<ClientRateDecision> {
  const now = deps.clock.now();
  const clientKey = hashSecret(
    await deps.secrets.hashKey(),
    'client-address',
    'public-routes',
    input.clientAddress,
  );
  const count = await deps.counters.add(COUNTERS.client(input.route, clientKey), WINDOW_SECONDS, now);
  return clientRate(count, input.limitPerMinute, now, fixedWindow(now, WINDOW_SECONDS).endsAt);
}
