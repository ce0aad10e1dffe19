/**
 * No request left behind by the workflow: every state that can fail (Task, Map,
 * Parallel) retries what is transient and catches the rest, and every catch ends
 * in a named state — the request recorded as needing attention
 * (RecordWorkflowFailure), a store recorded failed (RecordStoreFailure), or a
 * named Fail state. Choice, Wait, Pass, Succeed and Fail states cannot fail on
 * their own and take neither field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fulfilmentRetriers } from '../../../adapters/config/workflow-definition';
import { attemptsBeforeCatch } from '../../../domain/workflow-failure';

interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly ResultPath?: string | null;
  readonly Next: string;
}
interface State {
  readonly Type: string;
  readonly Retry?: readonly { readonly ErrorEquals: readonly string[] }[];
  readonly Catch?: readonly Catcher[];
  readonly ItemProcessor?: { readonly States: Record<string, State> };
  readonly Branches?: readonly { readonly States: Record<string, State> }[];
}

const definition = JSON.parse(
  readFileSync(join(__dirname, '../../../statemachines/fulfilment.asl.json'), 'utf8'),
) as { States: Record<string, State> };

/** Each state with the states it may jump to (its own scope: a Map's iterator or the top level). */
function scopes(states: Record<string, State>): { states: Record<string, State> }[] {
  return [
    { states },
    ...Object.values(states).flatMap((state) => [
      ...(state.ItemProcessor ? scopes(state.ItemProcessor.States) : []),
      ...(state.Branches ?? []).flatMap((branch) => scopes(branch.States)),
    ]),
  ];
}

const CAN_FAIL = new Set(['Task', 'Map', 'Parallel']);
const failing = scopes(definition.States).flatMap(({ states }) =>
  Object.entries(states)
    .filter(([, state]) => CAN_FAIL.has(state.Type))
    .map(([name, state]) => ({ name, state, scope: states })),
);
/** Where a catch may end: the states that record the failure, or a named Fail state. */
const RECORDERS = new Set(['RecordWorkflowFailure', 'RecordStoreFailure', 'RecordTransferFailure']);

describe('the fulfilment workflow has a failure path from every state that can fail', () => {
  it('has states that can fail', () => {
    expect(failing.map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'LoadRequest',
        'ResolveIdentity',
        'ProcessStores',
        'ProcessStore',
        'NotifyRequester',
      ]),
    );
  });

  it.each(failing.map(({ name, state, scope }) => [name, state, scope] as const))(
    '%s retries transient errors and catches every error into a named state',
    (name, state, scope) => {
      expect(state.Retry?.length, `${name} has no Retry`).toBeGreaterThan(0);
      const catchAll = (state.Catch ?? []).find((catcher) => catcher.ErrorEquals.includes('States.ALL'));
      expect(catchAll, `${name} has no Catch of States.ALL`).toBeDefined();
      const next = scope[catchAll!.Next];
      expect(next, `${name} catches into ${catchAll!.Next}, which is not in its scope`).toBeDefined();
      expect(RECORDERS.has(catchAll!.Next) || next!.Type === 'Fail').toBe(true);
    },
  );

  it('writes each top-level error under its own state name, so the record names the step', () => {
    for (const [name, state] of Object.entries(definition.States)) {
      for (const catcher of state.Catch ?? []) {
        if (catcher.Next === 'RecordWorkflowFailure') expect(catcher.ResultPath).toBe(`$.failed.${name}`);
      }
    }
  });

  it('ends a recorded failure in the named Fail state FulfilmentFailed', () => {
    const recorder = definition.States.RecordWorkflowFailure as State & { Next?: string };
    expect(recorder.Next).toBe('FulfilmentFailed');
    expect(recorder.Catch?.[0]?.Next).toBe('FulfilmentFailed');
    expect(definition.States.FulfilmentFailed?.Type).toBe('Fail');
  });

  it('counts the attempts a step made from its own retriers', () => {
    expect(attemptsBeforeCatch(fulfilmentRetriers('ResolveIdentity'), 'ConnectorTransientError')).toBe(4);
    expect(attemptsBeforeCatch(fulfilmentRetriers('ResolveIdentity'), 'FulfilmentNotApproved')).toBe(1);
    expect(attemptsBeforeCatch(fulfilmentRetriers('NoSuchState'), 'StaleRequest')).toBe(1);
  });
});
