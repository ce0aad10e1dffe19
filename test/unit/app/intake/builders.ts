/** Builders for the intake use-case tests: a submission as the API schema parses it, and the ports. */
import { MEMORY_ORGANISATION, memoryIntakePorts } from '../../../../adapters/memory/memory-intake-ports';
import { MemorySubmissionLedger } from '../../../../adapters/memory/memory-submission-ledger';
import { type Submission, submissionSchema } from '../../../../domain/submission';

/** 10:00 in Shanghai on an ordinary Wednesday. */
export const NOW = new Date('2025-03-12T02:00:00.000Z');

export function aSubmission(overrides: Record<string, unknown> = {}): Submission {
  return submissionSchema(
    [],
    MEMORY_ORGANISATION.residences.map((residence) => residence.code),
  ).parse({
    type: 'access',
    subject: { email: 'Subject@Example.com' },
    locale: 'en',
    ...overrides,
  });
}

export function submitPorts(now = NOW) {
  return { ...memoryIntakePorts(now), ledger: new MemorySubmissionLedger() };
}

export const submitInput = (submission = aSubmission(), idempotencyKey?: string) => ({
  submission,
  channel: 'api' as const,
  idempotencyKey,
});
