import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { type Outbox, type OutboxMessage, readOutbox, startOutbox } from '../../../local/outbox';

describe('the local outbox', () => {
  let stateDir: string;
  let outbox: Outbox;
  let ses: SESv2Client;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-outbox-'));
    outbox = await startOutbox({ stateDir });
    ses = new SESv2Client({
      endpoint: outbox.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  });

  afterAll(async () => {
    ses?.destroy();
    await outbox?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  const listed = async () =>
    (await (await fetch(`${outbox.endpoint}/outbox.json`)).json()) as OutboxMessage[];

  it('keeps a raw message built by MailComposer and lists it with its parsed text', async () => {
    const raw = await new MailComposer({
      from: 'DSAR Desk <privacy@example.com>',
      to: 'li.lei@example.net',
      subject: '您的验证码',
      text: '您的验证码是 482913,十分钟内有效。',
      attachments: [{ filename: 'receipt.txt', content: 'request r-1 received' }],
    })
      .compile()
      .build();
    const { MessageId } = await ses.send(
      new SendEmailCommand({ FromEmailAddress: 'privacy@example.com', Content: { Raw: { Data: raw } } }),
    );
    expect(MessageId).toMatch(/^0100[0-9a-f]{12}-[0-9a-f-]{36}-000000$/);

    const [latest] = await listed();
    expect(latest).toMatchObject({
      from: '"DSAR Desk" <privacy@example.com>',
      to: ['li.lei@example.net'],
      subject: '您的验证码',
      text: expect.stringContaining('482913'),
    });
    expect(Date.now() - Date.parse(latest?.date ?? '')).toBeLessThan(60_000);
    expect(latest?.file).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-\d{3}-[0-9a-f]{8}\.eml$/);

    const eml = await (await fetch(`${outbox.endpoint}/outbox/${latest?.file}`)).text();
    expect(eml.startsWith('Return-Path: <privacy@example.com>\r\nDelivered-To: li.lei@example.net\r\n')).toBe(
      true,
    );
    expect(eml).toContain('filename=receipt.txt');
  });

  it('builds a message from Simple content and delivers to Bcc without showing it in the headers', async () => {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'privacy@example.com',
        Destination: { ToAddresses: ['han.meimei@example.net'], BccAddresses: ['audit@example.com'] },
        ReplyToAddresses: ['dpo@example.com'],
        Content: {
          Simple: {
            Subject: { Data: 'Your export is ready', Charset: 'UTF-8' },
            Body: {
              Text: { Data: 'Download it within 7 days.', Charset: 'UTF-8' },
              Html: { Data: '<p>Download it within <b>7 days</b>.</p>', Charset: 'UTF-8' },
            },
            Headers: [{ Name: 'X-Request-Id', Value: 'r-2' }],
          },
        },
      }),
    );
    const [latest] = await listed();
    expect(latest).toMatchObject({
      from: 'privacy@example.com',
      to: ['han.meimei@example.net', 'audit@example.com'],
      subject: 'Your export is ready',
      text: 'Download it within 7 days.',
    });
    const eml = await (await fetch(`${outbox.endpoint}/outbox/${latest?.file}`)).text();
    expect(eml).toMatch(/^X-Request-Id: r-2$/im);
    expect(eml).toContain('Reply-To: dpo@example.com');
    expect(eml).toMatch(/Message-ID:\s+<0100[^@]+@email\.amazonses\.com>/);
    expect(eml).not.toMatch(/^Bcc:/m);
  });

  it('takes recipients from the raw message headers when the request names none', async () => {
    const raw = Buffer.from(
      'From: a@example.com\r\nTo: b@example.net\r\nCc: c@example.net\r\nSubject: hi\r\n\r\nhello\r\n',
    );
    await ses.send(new SendEmailCommand({ Content: { Raw: { Data: raw } } }));
    const [latest] = await listed();
    expect(latest).toMatchObject({
      from: 'a@example.com',
      to: ['b@example.net', 'c@example.net'],
      text: 'hello\n',
    });
  });

  it('lists messages newest first in the JSON, the page and readOutbox alike', async () => {
    const json = await listed();
    expect(json.map((message) => message.subject)).toEqual(['hi', 'Your export is ready', '您的验证码']);
    expect(await readOutbox(stateDir)).toEqual(json);
    const files = (await readdir(join(stateDir, 'outbox'))).sort().reverse();
    expect(json.map((message) => message.file)).toEqual(files);
  });

  it('serves a readable text view of a message', async () => {
    const [latest] = await listed();
    const response = await fetch(`${outbox.endpoint}/outbox/${latest?.file.replace(/\.eml$/, '.txt')}`);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(
      `From: a@example.com\nTo: b@example.net, c@example.net\nDate: ${latest?.date}\nSubject: hi\n\nhello\n`,
    );
  });

  it('escapes subjects on the HTML page', async () => {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'privacy@example.com',
        Destination: { ToAddresses: ['x@example.net'] },
        Content: {
          Simple: { Subject: { Data: '<script>alert(1)</script>' }, Body: { Text: { Data: 'x' } } },
        },
      }),
    );
    const page = await (await fetch(`${outbox.endpoint}/outbox`)).text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page.indexOf('&#60;script')).toBeLessThan(page.indexOf('您的验证码'));
  });

  it('refuses a templated message as SES would refuse an unusable request', async () => {
    await expect(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'privacy@example.com',
          Destination: { ToAddresses: ['x@example.net'] },
          Content: { Template: { TemplateName: 'Welcome', TemplateData: '{}' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
  });

  it.each(['/outbox/..%2F..%2Fetc%2Fpasswd', '/outbox/missing.eml', '/v2/email/identities'])(
    'answers 404 for %s',
    async (path) => {
      expect((await fetch(`${outbox.endpoint}${path}`)).status).toBe(404);
    },
  );

  it('receives mail from a client configured only through the environment, as the handlers are', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SESV2: outbox.endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    const handlerClient = new SESv2Client({});
    try {
      await handlerClient.send(
        new SendEmailCommand({
          FromEmailAddress: 'privacy@example.com',
          Destination: { ToAddresses: ['env@example.net'] },
          Content: { Simple: { Subject: { Data: 'via env' }, Body: { Text: { Data: 'x' } } } },
        }),
      );
      expect((await readOutbox(stateDir))[0]?.subject).toBe('via env');
    } finally {
      handlerClient.destroy();
      process.env = saved;
    }
  });
});
