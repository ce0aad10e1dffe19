import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpointProblem, MAX_ENDPOINT_BYTES } from '../../../domain/portability/endpoint';
import { submissionSchema } from '../../../domain/submission';

const LOCAL = 'http://127.0.0.1:4010';

describe('a portability endpoint at intake', () => {
  it.each([
    'https://new-shop.example/import',
    'https://new-shop.example:8443/import?batch=7',
    'HTTPS://NEW-SHOP.EXAMPLE/import',
    'https://[2606:4700::1]/inbox',
  ])('accepts %s', (endpoint) => {
    expect(endpointProblem(endpoint)).toBeUndefined();
  });

  it.each([
    ['plain http', 'http://new-shop.example/import', 'must be an https:// URL'],
    ['a password', 'https://user:secret@new-shop.example/import', 'must not contain a user name or password'],
    ['a user name', 'https://user@new-shop.example/import', 'must not contain a user name or password'],
    ['no slashes', 'https:new-shop.example/import', 'must be an absolute https:// URL'],
    ['no scheme', '//new-shop.example/import', 'must be an absolute https:// URL'],
    ['a path alone', '/import', 'must be an absolute https:// URL'],
    ['ftp', 'ftp://new-shop.example/import', 'must be an absolute https:// URL'],
    ['no host', 'https://', 'must be an absolute https:// URL'],
    ['over 2 KB', `https://new-shop.example/${'a'.repeat(MAX_ENDPOINT_BYTES)}`, 'must be at most 2048 bytes'],
    ['over 2 KB in UTF-8', `https://new-shop.example/${'导'.repeat(700)}`, 'must be at most 2048 bytes'],
  ])('refuses an endpoint with %s', (_label, endpoint, problem) => {
    expect(endpointProblem(endpoint)).toBe(problem);
  });

  it('accepts plain http only for an allow-listed origin', () => {
    expect(endpointProblem(`${LOCAL}/portability/inbox`, [LOCAL])).toBeUndefined();
    expect(endpointProblem('http://127.0.0.1:4011/portability/inbox', [LOCAL])).toBe(
      'must be an https:// URL',
    );
    expect(endpointProblem(`${LOCAL}/portability/inbox`)).toBe('must be an https:// URL');
  });

  it('never throws, whatever the string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl()), (raw) => {
        const problem = endpointProblem(raw);
        expect(problem === undefined || typeof problem === 'string').toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the submission of a portability request', () => {
  const submission = (endpoint: string) => ({
    type: 'portability',
    subject: { email: 'li.lei@example.com' },
    portabilityTarget: { recipientName: 'New Shop', endpoint },
  });

  it('names the endpoint field when it refuses an endpoint with credentials', () => {
    const result = submissionSchema().safeParse(submission('https://user:pw@new-shop.example/import'));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['portabilityTarget', 'endpoint'],
      message: 'must not contain a user name or password',
    });
  });

  it('takes the local fake processor over http only when its origin is allowed', () => {
    const local = submission(`${LOCAL}/portability/inbox`);
    expect(submissionSchema([LOCAL]).safeParse(local).success).toBe(true);
    expect(submissionSchema().safeParse(local).success).toBe(false);
  });
});
