// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ASL DefinitionSubstitutions placeholders are literal ${Key} text
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AWS_DEFAULT_TASK_TIMEOUT_SECONDS,
  findUnsupportedFeatures,
  lambdaTasks,
  loadDefinition,
  MissingSubstitutionError,
  substitutePlaceholders,
  taskForm,
  UnsupportedAslFeatureError,
  withAwsTaskTimeoutDefaults,
} from '../../../local/stepfunctions-definition';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:LoadRequest';

function task(resource: string, extra: Record<string, unknown> = {}) {
  return { Type: 'Task', Resource: resource, End: true, ...extra };
}

describe('substitutePlaceholders', () => {
  it('replaces each ${Key} with its DefinitionSubstitutions value', () => {
    const text = '{"Resource":"${LoadRequestFunctionArn}","Comment":"${LoadRequestFunctionArn} again"}';

    expect(JSON.parse(substitutePlaceholders(text, { LoadRequestFunctionArn: FUNCTION_ARN }))).toEqual({
      Resource: FUNCTION_ARN,
      Comment: `${FUNCTION_ARN} again`,
    });
  });

  it('escapes values so that the definition stays valid JSON', () => {
    const text = '{"Comment":"${Quote}"}';

    expect(JSON.parse(substitutePlaceholders(text, { Quote: 'say "hi"\\' })).Comment).toBe('say "hi"\\');
  });

  it('refuses a placeholder without a value instead of deploying it literally', () => {
    expect(() => substitutePlaceholders('{"Resource":"${Missing}"}', {})).toThrow(MissingSubstitutionError);
  });
});

describe('taskForm', () => {
  it.each([
    [FUNCTION_ARN, 'function-arn'],
    [`${FUNCTION_ARN}:$LATEST`, 'function-arn'],
    ['arn:aws-cn:lambda:cn-north-1:123456789012:function:X', 'function-arn'],
    ['arn:aws:states:::lambda:invoke', 'lambda-invoke'],
  ])('recognises %s as a Lambda task', (resource, kind) => {
    expect(taskForm(resource)?.kind).toBe(kind);
  });

  it.each([
    ['arn:aws:states:::lambda:invoke.waitForTaskToken'],
    ['arn:aws:states:::dynamodb:putItem'],
    ['arn:aws:states:::states:startExecution.sync:2'],
    ['arn:aws:states:us-east-1:000000000000:activity:Review'],
  ])('does not serve %s', (resource) => {
    expect(taskForm(resource)).toBeUndefined();
  });
});

describe('findUnsupportedFeatures', () => {
  it('accepts a JSONPath definition of Lambda tasks, Choice, inline Map, Parallel and Wait', () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: task(FUNCTION_ARN, { End: undefined, Next: 'M' }),
        M: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'I',
            States: { I: task(FUNCTION_ARN) },
          },
          Next: 'P',
        },
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } }],
          End: true,
        },
      },
    };

    expect(findUnsupportedFeatures(definition)).toEqual([]);
  });

  it.each([
    [
      'JSONata',
      { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
      '/: QueryLanguage',
    ],
    ['Assign', { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { x: 1 }, End: true } } }, '/A: Assign'],
    [
      'a task token callback',
      { StartAt: 'A', States: { A: task('arn:aws:states:::lambda:invoke.waitForTaskToken') } },
      '/A: Task Resource',
    ],
    [
      'a Distributed Map',
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED' },
              StartAt: 'I',
              States: { I: task(FUNCTION_ARN) },
            },
            End: true,
          },
        },
      },
      '/M: Distributed Map',
    ],
    [
      'a nested DynamoDB integration',
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'D', States: { D: task('arn:aws:states:::dynamodb:putItem') } }],
            End: true,
          },
        },
      },
      '/P/Branches[0]/D: Task Resource',
    ],
  ])('reports %s with the path of the state', (_, definition, expected) => {
    expect(findUnsupportedFeatures(definition).join('\n')).toContain(expected);
  });
});

describe('lambdaTasks', () => {
  it('finds Task states at every nesting level by name', () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: task(FUNCTION_ARN, { End: undefined, Next: 'M' }),
        M: {
          Type: 'Map',
          Iterator: { StartAt: 'I', States: { I: task('arn:aws:states:::lambda:invoke') } },
          End: true,
        },
      },
    };

    expect(Object.fromEntries(lambdaTasks(definition))).toEqual({
      A: { kind: 'function-arn', functionArn: FUNCTION_ARN },
      I: { kind: 'lambda-invoke' },
    });
  });
});

describe('withAwsTaskTimeoutDefaults', () => {
  it('gives Tasks without a timeout the Step Functions default and leaves explicit ones alone', () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: task(FUNCTION_ARN, { End: undefined, Next: 'B' }),
        B: task(FUNCTION_ARN, { TimeoutSeconds: 5 }),
      },
    };

    const adjusted = withAwsTaskTimeoutDefaults(definition) as {
      States: Record<string, { TimeoutSeconds?: number }>;
    };

    expect(adjusted.States.A?.TimeoutSeconds).toBe(AWS_DEFAULT_TASK_TIMEOUT_SECONDS);
    expect(adjusted.States.B?.TimeoutSeconds).toBe(5);
    expect('TimeoutSeconds' in definition.States.A).toBe(false);
  });
});

describe('loadDefinition', () => {
  const fixtures = join(process.cwd(), 'test/fixtures/statemachines');

  it('loads a fixture file with its substitutions applied', async () => {
    const { definition, text } = await loadDefinition(join(fixtures, 'fails.asl.json'), {
      FailPermanentlyFunctionArn: FUNCTION_ARN,
    });

    expect(text).toContain(FUNCTION_ARN);
    expect(definition.StartAt).toBe('CallFailing');
  });

  it('lists every unsupported feature of a file in one error', async () => {
    const loading = loadDefinition(join(fixtures, 'waits-for-task-token.asl.json'), {
      EchoFunctionArn: FUNCTION_ARN,
    });

    await expect(loading).rejects.toBeInstanceOf(UnsupportedAslFeatureError);
    await expect(loading).rejects.toMatchObject({
      problems: [
        expect.stringContaining('/AwaitApproval: Task Resource'),
        expect.stringContaining('/Remember: Assign'),
      ],
    });
  });
});
