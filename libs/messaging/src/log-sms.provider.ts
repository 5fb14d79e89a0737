import type { Logger } from 'pino';
import { maskMobile } from '#platform';
import { type OutboxKind, renderSms } from './names.js';
import type { SmsProvider, SmsRequest } from './sms-provider.js';

/**
 * The embedded default: writes each message to the log (the phone masked) and counts it sent, so the
 * product runs with nothing configured. Production must choose it explicitly (SMS_PROVIDER=log).
 */
export class LogSmsProvider implements SmsProvider {
  readonly name = 'log';
  constructor(private readonly log: Logger) {}

  templateFor(kind: OutboxKind): string {
    return `log:${kind}`;
  }

  async send(req: SmsRequest): Promise<{ providerMessageId: string }> {
    this.log.info(
      { sms: { to: maskMobile(req.phone), kind: req.kind, outId: req.outId, text: renderSms(req.kind, req.params) } },
      'sms (log provider)',
    );
    return { providerMessageId: `log-${req.outId}` };
  }
}
