/**
 * What the requester is told about a portability transfer, in Chinese and
 * English together (as every other notice, see domain/notices.ts).
 */
import type { Notice } from '../notices';

export interface TransferredNoticeInput {
  readonly requestId: string;
  readonly recipientName: string;
  readonly endpointOrigin: string;
  readonly receipt?: string;
  readonly totalRecords: number;
  /** Stores whose data could not be included. */
  readonly incompleteStores: readonly string[];
  readonly organisation: string;
}

/** The package reached the recipient the requester named. */
export function transferredNotice(input: TransferredNoticeInput): Notice {
  return {
    subject: `您的个人信息已转移至 ${input.recipientName} / Your personal data was transferred to ${input.recipientName} ${input.requestId}`,
    text: [
      `我们已按您的要求，将您的个人信息（共 ${input.totalRecords} 条记录，机器可读格式）转移至 ${input.recipientName}（${input.endpointOrigin}）。`,
      `As you asked, we transferred your personal data (${input.totalRecords} records, machine-readable) to ${input.recipientName} (${input.endpointOrigin}).`,
      ...(input.receipt ? ['', `接收方回执 / Recipient's receipt: ${input.receipt}`] : []),
      ...(input.incompleteStores.length
        ? ['', `以下来源尚未包含 / Not yet included: ${input.incompleteStores.join(', ')}`]
        : []),
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface TransferFailedNoticeInput {
  readonly requestId: string;
  readonly recipientName: string;
  /** Why, in words safe to show the requester (see transferFailureWords). */
  readonly reason: { readonly zh: string; readonly en: string };
  readonly downloadUrl: string;
  readonly expiresAt: string;
  readonly totalRecords: number;
  readonly organisation: string;
}

/**
 * The recipient could not be reached or refused the package: the requester
 * gets the package itself, to pass on (the right covers receiving the data in
 * a machine-readable form, not only its transmission).
 */
export function transferFailedNotice(input: TransferFailedNoticeInput): Notice {
  return {
    subject: `未能将您的个人信息转移至 ${input.recipientName} / We could not transfer your personal data to ${input.recipientName} ${input.requestId}`,
    text: [
      `我们未能将您的个人信息转移至 ${input.recipientName}：${input.reason.zh}`,
      `We could not transfer your personal data to ${input.recipientName}: ${input.reason.en}`,
      '',
      '您可以下载机器可读的数据包，自行提供给接收方：',
      'You can download the machine-readable package and pass it on yourself:',
      `下载链接 / Download link: ${input.downloadUrl}`,
      `链接有效期至 / The link expires at: ${input.expiresAt}`,
      `共 ${input.totalRecords} 条记录。/ ${input.totalRecords} records in total.`,
      '',
      '请勿转发此链接：任何持有链接的人都可以下载。',
      'Do not forward this link: anyone who has it can download the file.',
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}

/**
 * The requester's words for why a transfer failed, from the workflow's error
 * name: what they can act on, never the internal detail (addresses, answers)
 * that agents see on the request.
 */
export function transferFailureWords(errorName: string): { readonly zh: string; readonly en: string } {
  if (errorName === 'EndpointRefused') {
    return {
      zh: '您提供的接收地址不是可以使用的公网 https 地址。',
      en: 'the address you gave for the recipient is not a public https address we may send to.',
    };
  }
  if (errorName === 'TransferRejected') {
    return { zh: '接收方拒绝了此次转移。', en: 'the recipient refused the transfer.' };
  }
  return {
    zh: '多次尝试后仍无法连接接收方。',
    en: 'the recipient could not be reached after several attempts.',
  };
}
