import type { OutboxKind, SmsParams } from './names.js';

/** One SMS to send: the phone in clear (decrypted at send time, never stored or logged), the kind's template and its parameters. */
export interface SmsRequest {
  phone: string;
  kind: OutboxKind;
  /** The provider's approved template of this kind (the log provider names the kind). */
  templateCode: string;
  params: SmsParams;
  /** The outbox message's id, passed to the provider (OutId) so its records can be matched to ours. */
  outId: string;
}

/** The boundary to an SMS service: the one part of the outbox that leaves the machine. */
export interface SmsProvider {
  readonly name: string;
  /** The template code the provider knows a kind by. */
  templateFor(kind: OutboxKind): string;
  /** Sends one message; resolves with the provider's id for it, or throws SmsSendError. */
  send(req: SmsRequest): Promise<{ providerMessageId: string }>;
}

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

/** A send that did not happen, with a reason in Chinese; `permanent` when trying again cannot help. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}
