/**
 * The fulfilment workflow's own definition, bundled with the function that
 * records its failures: how often a step ran before its Catch is read from the
 * retriers the state machine really has, not from a copy that could drift.
 */

import type { Retrier } from '../../domain/workflow-failure';
import definition from '../../statemachines/fulfilment.asl.json' with { type: 'json' };

interface State {
  readonly Retry?: readonly Retrier[];
  readonly ItemProcessor?: { readonly States: Readonly<Record<string, State>> };
}

function retriersByState(states: Readonly<Record<string, State>>): [string, readonly Retrier[]][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state.Retry ?? []] as [string, readonly Retrier[]],
    ...retriersByState(state.ItemProcessor?.States ?? {}),
  ]);
}

const RETRIERS = new Map(retriersByState(definition.States as Readonly<Record<string, State>>));

/** The retriers of a state of statemachines/fulfilment.asl.json (none for an unknown name). */
export function fulfilmentRetriers(step: string): readonly Retrier[] {
  return RETRIERS.get(step) ?? [];
}
