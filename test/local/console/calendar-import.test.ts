/**
 * Importing a State Council notice into the running pipeline, through the console API and `dsar
 * calendar`: checked, stored, listed and audited on the calendar's own trail. The year is 2099, which no
 * other test's dates reach: the stack is shared by every test file, and a 2027 notice would move their
 * expected due dates.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main';
import { type AuditEvent, verifyChain } from '../../../domain/audit';
import { calendarsOverview } from '../../../domain/console/calendar-import';
import { localDynamoDbClient, localTableNames } from '../../../local/dynamodb';
import { call, get, stack, tokenFor } from './support';

const CALENDARS = '/v1/console/calendars';
const NOTICES = `${CALENDARS}/cn-state-council/notices`;
const FIXTURE = join(__dirname, '../../fixtures/calendars/cn-state-council-2099.json');
const NOTICE_2099 = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown> & {
  arrangements: { makeUpWorkdays: { date: string; weekday: string }[] }[];
};

const put = (year: number | string, token: string, body: unknown, query = '') =>
  call('PUT', `${NOTICES}/${year}${query}`, { token, body });

/** The calendar's audit trail, in order. */
async function calendarTrail(): Promise<AuditEvent[]> {
  const documents = DynamoDBDocumentClient.from(localDynamoDbClient(stack().dynamodb));
  const { Items } = await documents.send(
    new QueryCommand({
      TableName: localTableNames().AUDIT_TABLE,
      KeyConditionExpression: 'requestId = :trail',
      ExpressionAttributeValues: { ':trail': 'calendar:cn-state-council' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as AuditEvent[];
}

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (text: string) => {
        out.stdout += text;
      },
      stderr: (text: string) => {
        out.stderr += text;
      },
    },
  };
}

describe('importing an official calendar notice', () => {
  it('imports a year, lists it as imported and audits the import on the calendar trail', async () => {
    const supervisor = tokenFor('supervisor', 'sam-calendar');
    const imported = await put(2099, supervisor, NOTICE_2099);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      status: 'imported',
      replaces: null,
      year: 2099,
      importedBy: 'sam-calendar',
      audit: { trail: 'calendar:cn-state-council' },
      summary: { holidays: 11, makeUpWorkdays: 3, festivals: [{ days: 3 }, { days: 8 }] },
    });
    expect(imported.body.sha256).toMatch(/^[0-9a-f]{64}$/);

    const listed = await get(CALENDARS, tokenFor('auditor'));
    expect(listed.status).toBe(200);
    const china = listed.body.calendars.find(
      (calendar: { calendarId: string }) => calendar.calendarId === 'cn-state-council',
    );
    expect(china.years.find((year: { year: number }) => year.year === 2099)).toMatchObject({
      origin: 'imported',
      importedBy: 'sam-calendar',
      sha256: imported.body.sha256,
      holidays: 11,
      makeUpWorkdays: 3,
      source: { documentNumber: '国办发明电〔2098〕99号' },
    });
    expect(china.years.find((year: { year: number }) => year.year === 2026)).toMatchObject({
      origin: 'packaged',
    });
    // The same rule as the API's, on the same day: true from 1 November while 2027 has no notice.
    const expected = calendarsOverview([], new Date()).calendars.find(
      (calendar) => calendar.calendarId === 'cn-state-council',
    )!;
    expect(china.nextYearMissing).toBe(expected.nextYearMissing);

    const trail = await calendarTrail();
    expect(verifyChain(trail)).toEqual({ intact: true });
    expect(trail.at(-1)).toMatchObject({
      type: 'calendar-notice-imported',
      actor: { kind: 'agent', id: 'sam-calendar' },
      seq: imported.body.audit.seq,
      details: { year: 2099, sha256: imported.body.sha256, holidays: 11, makeUpWorkdays: 3, replaces: null },
    });
  });

  it('refuses to replace the year without replace=true, and replaces it with', async () => {
    const supervisor = tokenFor('supervisor');
    await put(2099, supervisor, NOTICE_2099, '?replace=true');
    const again = await put(2099, supervisor, NOTICE_2099);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'notice-exists' });
    expect(again.body.error.message).toContain('replace=true');

    const replaced = await put(2099, supervisor, NOTICE_2099, '?replace=true');
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ status: 'replaced', replaces: 'imported' });
    const last = (await calendarTrail()).at(-1)!;
    expect(last.details).toMatchObject({ replaces: 'imported', replacedSha256: replaced.body.sha256 });
  });

  it('refuses to replace a packaged year without replace=true', async () => {
    const packaged = JSON.parse(
      readFileSync(
        join(__dirname, '../../../domain/clock/calendars/notices/cn-state-council/2026.json'),
        'utf8',
      ),
    );
    const answer = await put(2026, tokenFor('supervisor'), packaged);
    expect(answer.status).toBe(409);
    expect(answer.body.error.message).toContain('packaged notice');
  });

  it('lists every problem of a bad file in a 400 and stores nothing', async () => {
    const before = (await calendarTrail()).length;
    const bad = structuredClone(NOTICE_2099);
    bad.arrangements[0]!.makeUpWorkdays = [{ date: '2099-01-05', weekday: 'Sunday' }];
    const answer = await put(2099, tokenFor('supervisor'), bad, '?replace=true');
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid-notice');
    expect(answer.body.error.problems).toEqual([
      '2099-01-05 is a Monday, the notice says Sunday',
      'make-up workday 2099-01-05 is not a weekend day',
    ]);
    expect((await calendarTrail()).length).toBe(before);

    const unparsable = await put(2099, tokenFor('supervisor'), { year: 2099, arrangements: [] });
    expect(unparsable.status).toBe(400);
    expect(unparsable.body.error.problems.length).toBeGreaterThan(1);
  });

  it("refuses a notice whose year is not the path's", async () => {
    const answer = await put(2098, tokenFor('supervisor'), NOTICE_2099);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'notice-year-mismatch', field: 'year' });
  });

  it.each(['agent', 'auditor'] as const)('answers 403 to an %s, before reading the notice', async (role) => {
    const answer = await put(2099, tokenFor(role), NOTICE_2099, '?replace=true');
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden');
  });

  it('imports with dsar calendar import, prints the classification, and refuses a bad file with its problems', async () => {
    const cli = ['--state-dir', stack().stateDir];
    const good = capture();
    expect(
      await runCli(['calendar', 'import', FIXTURE, '--replace', '--user', 'lin-cli', ...cli], good.io),
    ).toBe(0);
    expect(good.out.stdout).toContain('Replaced the imported notice of 2099');
    expect(good.out.stdout).toContain('Holidays 11, make-up workdays 3');
    expect(good.out.stdout).toMatch(
      /国庆节 National Day +2099-10-01 … 2099-10-08 +8 +2099-09-26, 2099-10-10/,
    );

    const file = join(mkdtempSync(join(tmpdir(), 'dsar-notice-')), 'bad.json');
    const bad = structuredClone(NOTICE_2099);
    bad.arrangements[1]!.makeUpWorkdays[0] = { date: '2099-09-28', weekday: 'Saturday' };
    writeFileSync(file, JSON.stringify(bad));
    const refused = capture();
    expect(await runCli(['calendar', 'import', file, '--replace', ...cli], refused.io)).toBe(2);
    expect(refused.out.stdout).toBe('');
    expect(refused.out.stderr).toContain('  - 2099-09-28 is a Monday, the notice says Saturday\n');
    expect(refused.out.stderr).toContain('  - make-up workday 2099-09-28 is not a weekend day\n');
    expect(refused.out.stderr).toMatch(/dsar: .*bad\.json was not imported \(400 invalid-notice\)/);

    const status = capture();
    expect(await runCli(['calendar', 'status', ...cli], status.io)).toBe(0);
    expect(status.out.stdout).toMatch(/2099 +imported by lin-cli at /);
    expect(status.out.stdout).toMatch(/2026 +packaged +国办发明电〔2025〕7号/);
  });

  it('leaves the calendars readable by every function: the trail head is not read as a notice', async () => {
    // The list loads the calendars (adapters/aws/calendar-notices.ts); a stored item it cannot read
    // would make it fall back to the packaged calendars and say so in the log.
    expect((await get('/v1/console/requests?limit=1', tokenFor('agent'))).status).toBe(200);
    expect(readFileSync(stack().logFile, 'utf8')).not.toContain('Imported calendar notices not read');
  });
});
