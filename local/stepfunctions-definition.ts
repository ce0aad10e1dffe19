/**
 * Loading a state machine for the local Step Functions service: the
 * `statemachines/*.asl.json` file exactly as the CDK stack deploys it, with
 * the same `${Placeholder}` DefinitionSubstitutions, checked by the
 * interpreter's validator and then against what the local interpreter
 * (`aws-local-stepfunctions`) can really run.
 *
 * Definitions that use a feature the interpreter lacks are refused at load
 * time, with the state path, rather than half-run: the interpreter's
 * validator accepts JSONata, `Assign`, `.waitForTaskToken` or a Distributed
 * Map and would then silently ignore or mis-run them.
 */
import { readFile } from 'node:fs/promises';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';

export class MissingSubstitutionError extends Error {
  override name = 'MissingSubstitutionError' as const;
}

export class UnsupportedAslFeatureError extends Error {
  override name = 'UnsupportedAslFeatureError' as const;
  constructor(
    readonly definitionPath: string,
    readonly problems: readonly string[],
  ) {
    super(`${definitionPath} uses ASL features local mode cannot run:\n  ${problems.join('\n  ')}`);
  }
}

/** How a Task state reaches Lambda; the only Task resources local mode serves. */
export type LambdaTaskForm =
  /** `Resource` is the function ARN; the state's input is the payload, the result is the function's result. */
  | { readonly kind: 'function-arn'; readonly functionArn: string }
  /** `Resource` is `arn:aws:states:::lambda:invoke`; FunctionName and Payload come from `Parameters`. */
  | { readonly kind: 'lambda-invoke' };

const FUNCTION_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]+(?::[a-zA-Z0-9_$-]+)?$/;
const LAMBDA_INVOKE = /^arn:aws[a-zA-Z-]*:states:::lambda:invoke$/;
const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Replaces each `${Key}` with its DefinitionSubstitutions value, as CloudFormation does, JSON-escaped. */
export function substitutePlaceholders(
  definitionText: string,
  substitutions: Readonly<Record<string, string>>,
): string {
  const missing = new Set<string>();
  const substituted = definitionText.replace(PLACEHOLDER, (placeholder, key: string) => {
    const value = substitutions[key];
    if (value === undefined) {
      missing.add(key);
      return placeholder;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) {
    throw new MissingSubstitutionError(`No DefinitionSubstitutions value for: ${[...missing].join(', ')}`);
  }
  return substituted;
}

export function taskForm(resource: string): LambdaTaskForm | undefined {
  if (FUNCTION_ARN.test(resource)) return { kind: 'function-arn', functionArn: resource };
  if (LAMBDA_INVOKE.test(resource)) return { kind: 'lambda-invoke' };
  return undefined;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every state of a definition, nested Map and Parallel states included, with its path for messages. */
function* allStates(machine: Json, path: string): Generator<{ name: string; path: string; state: Json }> {
  const states = isObject(machine.States) ? machine.States : {};
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    const statePath = `${path}/${name}`;
    yield { name, path: statePath, state };
    const processor = state.ItemProcessor ?? state.Iterator;
    if (isObject(processor)) yield* allStates(processor, `${statePath}/ItemProcessor`);
    if (Array.isArray(state.Branches)) {
      for (const [index, branch] of state.Branches.entries()) {
        if (isObject(branch)) yield* allStates(branch, `${statePath}/Branches[${index}]`);
      }
    }
  }
}

const VARIABLE_OR_JSONATA_FIELDS = ['Assign', 'Arguments', 'Output', 'QueryLanguage'] as const;
const DISTRIBUTED_MAP_FIELDS = [
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCount',
  'ToleratedFailureCountPath',
  'Label',
] as const;

/** The features of `definition` that the local interpreter cannot run, one line each. */
export function findUnsupportedFeatures(definition: Json): string[] {
  const problems: string[] = [];
  if (definition.QueryLanguage !== undefined && definition.QueryLanguage !== 'JSONPath') {
    problems.push(`/: QueryLanguage ${String(definition.QueryLanguage)} (only JSONPath)`);
  }
  for (const { path, state } of allStates(definition, '')) {
    for (const field of VARIABLE_OR_JSONATA_FIELDS) {
      if (field in state) problems.push(`${path}: ${field} (JSONata and variables are not interpreted)`);
    }
    if (state.Type === 'Task') {
      const resource = typeof state.Resource === 'string' ? state.Resource : '';
      if (!taskForm(resource)) {
        problems.push(`${path}: Task Resource ${resource} (only a Lambda function ARN or lambda:invoke)`);
      }
      if ('Credentials' in state) problems.push(`${path}: Credentials (cross-account tasks)`);
    }
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor;
      const config =
        isObject(processor) && isObject(processor.ProcessorConfig) ? processor.ProcessorConfig : {};
      if (config.Mode === 'DISTRIBUTED') problems.push(`${path}: Distributed Map (only INLINE)`);
      for (const field of DISTRIBUTED_MAP_FIELDS) {
        if (field in state) problems.push(`${path}: ${field} (Distributed Map)`);
      }
    }
  }
  return problems;
}

/** Task states by name (names are unique across a whole state machine, nested ones included). */
export function lambdaTasks(definition: Json): Map<string, LambdaTaskForm> {
  const tasks = new Map<string, LambdaTaskForm>();
  for (const { name, state } of allStates(definition, '')) {
    if (state.Type !== 'Task' || typeof state.Resource !== 'string') continue;
    const form = taskForm(state.Resource);
    if (form) tasks.set(name, form);
  }
  return tasks;
}

/** Step Functions' default Task timeout, in seconds. */
export const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/**
 * The definition the interpreter runs: the loaded one, except that Task
 * states without a timeout get Step Functions' own default (99999999 s)
 * instead of the interpreter's 60 s, so a Task is bounded by its Lambda's
 * timeout as on AWS.
 */
export function withAwsTaskTimeoutDefaults(definition: Json): Json {
  const copy = structuredClone(definition);
  for (const { state } of allStates(copy, '')) {
    if (
      state.Type === 'Task' &&
      state.TimeoutSeconds === undefined &&
      state.TimeoutSecondsPath === undefined
    ) {
      state.TimeoutSeconds = AWS_DEFAULT_TASK_TIMEOUT_SECONDS;
    }
  }
  return copy;
}

export interface LoadedDefinition {
  /** The substituted text, as DescribeStateMachine returns it. */
  readonly text: string;
  readonly definition: StateMachineDefinition;
}

/** Reads, substitutes and checks an ASL file; throws on anything local mode cannot run faithfully. */
export async function loadDefinition(
  definitionPath: string,
  substitutions: Readonly<Record<string, string>>,
): Promise<LoadedDefinition> {
  const text = substitutePlaceholders(await readFile(definitionPath, 'utf8'), substitutions);
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed)) throw new UnsupportedAslFeatureError(definitionPath, ['/: not a JSON object']);
  const problems = findUnsupportedFeatures(parsed);
  if (problems.length > 0) throw new UnsupportedAslFeatureError(definitionPath, problems);
  return { text, definition: parsed as unknown as StateMachineDefinition };
}
