import { describe, expect, it } from 'vitest';
import { approvalAction, type ConsoleDetail } from '../../../web/client/console-model';

type Approval = NonNullable<ConsoleDetail['approval']>;

const fourEyes = (overrides: Partial<Approval> = {}): Pick<ConsoleDetail, 'status' | 'approval'> => ({
  status: 'verified',
  approval: {
    required: true,
    reasons: ['four-eyes'],
    supervisorOnly: false,
    offlineCheckRequired: false,
    notApprovableBy: ['alice'],
    approvals: [],
    ...overrides,
  },
});

describe('approvalAction (the console approve form)', () => {
  it('offers the form to a second agent, with the reason in both languages', () => {
    const action = approvalAction(fourEyes(), { user: 'bob', roles: ['agent'] });
    expect(action).toMatchObject({ kind: 'form', offlineCheckRequired: false });
    expect(action?.kind === 'form' && action.reasons.en).toContain('second person');
  });

  it('tells the taker or the identity checker that someone else must approve', () => {
    expect(approvalAction(fourEyes(), { user: 'alice', roles: ['agent'] })).toMatchObject({
      kind: 'not-you',
    });
  });

  it('shows nothing once approved, on a closed request, or where no approval is needed', () => {
    const bob = { user: 'bob', roles: ['agent'] };
    expect(
      approvalAction(fourEyes({ approvals: [{ by: 'bob', at: '2025-03-10T02:00:00Z' }] }), bob),
    ).toBeNull();
    expect(approvalAction({ ...fourEyes(), status: 'fulfilled' }, bob)).toBeNull();
    expect(approvalAction(fourEyes({ required: false, reasons: [] }), bob)).toBeNull();
    expect(approvalAction({ status: 'verified' }, bob)).toBeNull();
  });

  it('offers a supervisor-only approval to supervisors alone, and never to auditors', () => {
    const sensitive = fourEyes({ supervisorOnly: true, offlineCheckRequired: true, notApprovableBy: [] });
    expect(approvalAction(sensitive, { user: 'bob', roles: ['agent'] })).toBeNull();
    expect(approvalAction(sensitive, { user: 'sam', roles: ['supervisor'] })).toMatchObject({
      kind: 'form',
      offlineCheckRequired: true,
    });
    expect(approvalAction(fourEyes(), { user: 'ada', roles: ['auditor'] })).toBeNull();
  });
});
