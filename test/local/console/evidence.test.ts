/**
 * The evidence pack against the running pipeline: a demo subject's access request taken at the counter,
 * approved by a second console user, fulfilled by the workflow; then a supervisor downloads its pack
 * over HTTP and through `dsar evidence`. The zip holds the files the pack promises, its clock section
 * names the official calendar's source, nothing in it is a clear identifier or the requester's name,
 * and the download is on the request's trail.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main';
import { DEMO_PEOPLE } from '../../../local/demo/organisation';
import { CONSOLE, createdId, detail, eventually, lastEvent, post, stack, tokenFor } from './support';

const run = promisify(execFile);
const [LI_LEI] = DEMO_PEOPLE;
const NAME = '李雷测试人';

async function unzip(file: string, ...args: string[]): Promise<string> {
  return (await run('/usr/bin/unzip', [...args, file], { maxBuffer: 16 * 1024 * 1024 })).stdout;
}

describe('the evidence pack', () => {
  it('downloads a fulfilled request’s pack as a supervisor: the files, the clock’s source, no clear identifier', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'access',
      subject: { email: LI_LEI!.email, phone: LI_LEI!.phone },
      requester: { role: 'self', name: NAME },
    });
    expect((await post(`${CONSOLE}/${id}/approve`, tokenFor('agent'), {})).status).toBe(200);
    await eventually(
      async () => ((await detail(id)).body.status === 'fulfilled' ? true : undefined),
      'the workflow to fulfil the request',
    );

    const agentTry = await fetch(`${stack().api}${CONSOLE}/${id}/evidence`, {
      headers: { authorization: `Bearer ${tokenFor('agent')}` },
    });
    expect(agentTry.status).toBe(403);

    const response = await fetch(`${stack().api}${CONSOLE}/${id}/evidence`, {
      headers: { authorization: `Bearer ${tokenFor('supervisor', 'sam-evidence')}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="evidence-${id}-\\d{4}-\\d{2}-\\d{2}\\.zip"$`),
    );
    const dir = await mkdtemp(join(tmpdir(), 'evidence-'));
    const file = join(dir, 'pack.zip');
    await writeFile(file, Buffer.from(await response.arrayBuffer()));

    const names = (await unzip(file, '-Z1')).split('\n').filter(Boolean);
    expect(names.slice(0, 3)).toEqual(['summary.html', 'evidence.json', 'trail.jsonl']);
    expect(names.some((name) => /^notices\/\d\d-package-ready\.txt$/.test(name))).toBe(true);
    const everything = await unzip(file, '-p');
    for (const clear of [LI_LEI!.email, LI_LEI!.phone, LI_LEI!.accountId, NAME]) {
      expect(everything).not.toContain(clear);
    }
    const page = (await run('/usr/bin/unzip', ['-p', file, 'summary.html'])).stdout;
    expect(page).toContain('The clock explained');
    expect(page).toContain('国务院办公厅 General Office of the State Council');
    const json = JSON.parse((await run('/usr/bin/unzip', ['-p', file, 'evidence.json'])).stdout);
    expect(json.summary).toMatchObject({ requestId: id, status: 'fulfilled', closedOnTime: true });
    expect(json.trailVerdict).toMatchObject({ intact: true });
    expect(json.decisions.approvals).toHaveLength(1);
    expect(await lastEvent(id, 'evidence-pack-downloaded')).toMatchObject({
      actor: { kind: 'agent', id: 'sam-evidence' },
    });

    let stdout = '';
    const io = {
      stdout: (text: string) => {
        stdout += text;
      },
      stderr: (text: string) => {
        stdout += text;
      },
    };
    const out = join(dir, 'cli.zip');
    const cli = ['evidence', id, '--out', out, '--user', 'cli-evidence', '--state-dir', stack().stateDir];
    expect(await runCli(cli, io)).toBe(0);
    expect(stdout).toBe(`${out}\n`);
    expect((await readFile(out)).subarray(0, 2).toString()).toBe('PK');
    expect(await lastEvent(id, 'evidence-pack-downloaded')).toMatchObject({
      actor: { kind: 'agent', id: 'cli-evidence' },
    });
  });
});
