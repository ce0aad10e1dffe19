/**
 * The fulfilment workflow retries by class, not by a list of names: every name
 * a `Retry` lists is a TransientError of ours (or the Lambda service's own), and
 * every TransientError a task Lambda can throw is retried somewhere. Which
 * errors a task can throw is found from its entry file's imports, so a new
 * TransientError in a module a task uses fails this test until the ASL retries
 * it (or the exception below says why not).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETRIED_ERRORS, TRANSIENT_ERROR_NAMES } from '../../../adapters/lambda/retried-errors';
import { FULFILMENT_TASKS } from '../../../definitions/functions';
import { TransientError } from '../../../domain/errors';

const ROOT = join(__dirname, '../../..');
const SOURCE_FOLDERS = ['domain', 'definitions', 'connectors', 'app', 'adapters', 'lambdas'];

/** TransientErrors a task can throw that the ASL does not retry yet, and why. */
const NOT_RETRIED_YET: Readonly<Record<string, string>> = {
  SmtpRelayUnavailable:
    'mail through an SMTP relay (where SES is not offered) fails DeliverPackage/NotifyRequester; ' +
    'whether a retry may mail twice is for the failure-path rework of the state machine',
  // The download link of a phone-only requester (app/fulfilment/deliver-package.ts): the delivery is
  // claimed before the SMS goes, as before a mail, and released when the SMS is refused, so a redrive
  // (the request needs attention) sends it.
  SnsUnavailable:
    'an SMS through SNS fails DeliverPackage for a phone-only requester; as SmtpRelayUnavailable, ' +
    'the claim is released and the request needs attention; a redrive sends the link',
  SmsProviderUnavailable:
    'an SMS through the HTTP gateway fails DeliverPackage for a phone-only requester; as SnsUnavailable',
};

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: { readonly FunctionName?: string };
  readonly Retry?: readonly { readonly ErrorEquals: readonly string[] }[];
  readonly ItemProcessor?: { readonly States: Record<string, State> };
  readonly Iterator?: { readonly States: Record<string, State> };
  readonly Branches?: readonly { readonly States: Record<string, State> }[];
}

function allStates(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...allStates(state.ItemProcessor?.States ?? state.Iterator?.States ?? {}),
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch.States)),
  ]);
}

const definition = JSON.parse(readFileSync(join(ROOT, 'statemachines/fulfilment.asl.json'), 'utf8')) as {
  States: Record<string, State>;
};
const tasks = allStates(definition.States).filter(([, state]) => state.Type === 'Task');

/** The names the Lambda service and Step Functions give their own errors; not classes of ours. */
const isServiceError = (name: string) => /^(States|Lambda|Sandbox)\./.test(name);

const retried = new Set(
  tasks.flatMap(([, state]) => (state.Retry ?? []).flatMap((retry) => retry.ErrorEquals)),
);

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const CLASS = /(abstract\s+)?class\s+(\w+)\s+extends\s+(\w+)/g;
/** Every class of ours with its parent's name, and where it is declared. */
const classes = new Map<string, { parent: string; file: string; abstract: boolean }>();
for (const file of SOURCE_FOLDERS.flatMap(sourceFiles)) {
  for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(CLASS)) {
    classes.set(match[2] as string, { parent: match[3] as string, file, abstract: match[1] !== undefined });
  }
}

function isTransient(name: string): boolean {
  for (let current = classes.get(name); current; current = classes.get(current.parent)) {
    if (current.parent === 'TransientError') return true;
  }
  return false;
}

const IMPORT = /^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.{1,2}\/[^']+)';/gms;
/** The source files a module loads at run time (type-only imports left out), transitively. */
function runtimeClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      if (match[1] !== undefined) continue;
      const target = relative(ROOT, join(ROOT, dirname(file), match[2] as string));
      const resolved = [`${target}.ts`, join(target, 'index.ts')].find((path) =>
        existsSync(join(ROOT, path)),
      );
      if (resolved) visit(resolved);
    }
  };
  visit(entry);
  return seen;
}

/** The concrete TransientErrors declared in the modules a task's Lambda loads. */
function transientErrorsOf(taskFunctionId: string): string[] {
  const task = FULFILMENT_TASKS.find((candidate) => candidate.id === taskFunctionId);
  if (!task) throw new Error(`No fulfilment task ${taskFunctionId} in definitions/functions.ts`);
  const files = runtimeClosure(task.entry);
  return [...classes]
    .filter(([name, { file, abstract }]) => !abstract && files.has(file) && isTransient(name))
    .map(([name]) => name);
}

const functionIdOf = (state: State) =>
  /\$\{(\w+)FunctionArn\}/.exec(state.Resource ?? state.Parameters?.FunctionName ?? '')?.[1];

describe('the fulfilment workflow retries by error class', () => {
  it('names each retried class by the name its errors carry (the Lambda errorType)', () => {
    for (const [key, errorClass] of Object.entries(RETRIED_ERRORS)) {
      const error = Reflect.construct(errorClass, []) as Error;
      expect(error).toBeInstanceOf(TransientError);
      expect(error.name).toBe(key);
    }
  });

  it.each(tasks.filter(([, state]) => state.Retry !== undefined))(
    '%s retries only TransientErrors of ours and the Lambda service errors',
    (_, state) => {
      const names = (state.Retry ?? [])
        .flatMap((retry) => retry.ErrorEquals)
        .filter((name) => !isServiceError(name));
      for (const name of names) expect(TRANSIENT_ERROR_NAMES).toContain(name);
    },
  );

  it.each(tasks.map(([stateName, state]) => [stateName, functionIdOf(state)] as const))(
    '%s: every TransientError its Lambda can throw is retried somewhere in the workflow',
    (_, functionId) => {
      expect(functionId).toBeDefined();
      const unretried = transientErrorsOf(functionId as string).filter(
        (name) => !retried.has(name) && NOT_RETRIED_YET[name] === undefined,
      );
      expect(unretried).toEqual([]);
    },
  );

  it('retries every class of the registry somewhere, and finds each of them in a task', () => {
    const thrown = new Set(tasks.flatMap(([, state]) => transientErrorsOf(functionIdOf(state) as string)));
    for (const name of TRANSIENT_ERROR_NAMES) {
      expect(retried).toContain(name);
      expect(thrown).toContain(name);
    }
  });

  it('keeps its exceptions current: each is still a TransientError a task can throw, still not retried', () => {
    const thrown = new Set(tasks.flatMap(([, state]) => transientErrorsOf(functionIdOf(state) as string)));
    for (const name of Object.keys(NOT_RETRIED_YET)) {
      expect(thrown).toContain(name);
      expect(retried).not.toContain(name);
    }
  });
});
