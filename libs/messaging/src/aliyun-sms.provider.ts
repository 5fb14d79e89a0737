import dysmsapi from '@alicloud/dysmsapi20170525';
import openapi from '@alicloud/openapi-core';
import type { AliyunSmsConfig } from '#platform';
import type { OutboxKind } from './names.js';
import { type SmsProvider, type SmsRequest, SmsSendError } from './sms-provider.js';

/** Alibaba's answers that no retry can change (a wrong number, template or signature; missing parameters). */
const PERMANENT_CODES = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.SMS_TEMPLATE_ILLEGAL',
  'isv.SMS_SIGNATURE_ILLEGAL',
  'isv.TEMPLATE_MISSING_PARAMETERS',
  'isv.INVALID_PARAMETERS',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.INVALID_JSON_PARAM',
]);

/** Network errors that happen before a request reaches the provider: nothing was sent, so trying again is safe. */
const NOT_SENT_ERRNO = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

/**
 * Alibaba Cloud SMS (短信服务, API 2017-05-25 SendSms) through its official SDK, which signs each request
 * with ACS3-HMAC-SHA256 (signature V3; the test checks that function against Alibaba's published example).
 */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun';
  private readonly client: InstanceType<typeof dysmsapi.default>;

  /** `protocol` is https in every deployment; the adapter's test talks http to a server on 127.0.0.1. */
  constructor(
    private readonly config: AliyunSmsConfig,
    opts: { protocol?: 'https' | 'http' } = {},
  ) {
    this.client = new dysmsapi.default(
      new openapi.$OpenApiUtil.Config({
        accessKeyId: config.accessKeyId,
        accessKeySecret: config.accessKeySecret,
        endpoint: config.endpoint,
        protocol: opts.protocol ?? 'https',
        connectTimeout: 5_000,
        readTimeout: 15_000,
      }),
    );
  }

  templateFor(kind: OutboxKind): string {
    return this.config.templates[kind];
  }

  async send(req: SmsRequest): Promise<{ providerMessageId: string }> {
    let answer: { code?: string; message?: string; bizId?: string } | undefined;
    try {
      const res = await this.client.sendSms(
        new dysmsapi.SendSmsRequest({
          phoneNumbers: req.phone,
          signName: this.config.signName,
          templateCode: req.templateCode,
          templateParam: JSON.stringify(req.params),
          outId: req.outId,
        }),
      );
      answer = res.body;
    } catch (err) {
      throw classify(err);
    }
    if (answer?.code === 'OK' && answer.bizId) return { providerMessageId: answer.bizId };
    const code = answer?.code ?? '无返回码';
    throw new SmsSendError(clip(`阿里云短信未受理：${answer?.message ?? '无说明'}（${code}）`), PERMANENT_CODES.has(code));
  }
}

/**
 * An exception of the SDK as a send error: refused before sending or answered with an error → retry;
 * a 4xx answer (keys, signature, parameters) → failed until someone fixes it; anything else (a read
 * timeout, a reset connection) may have been delivered → failed as unknown, never sent again by itself.
 */
function classify(err: unknown): SmsSendError {
  if (err instanceof openapi.ThrottlingError || err instanceof openapi.ServerError) {
    return new SmsSendError(clip(`阿里云短信暂时不可用：${err.code}`));
  }
  if (err instanceof openapi.ClientError) {
    return new SmsSendError(clip(`阿里云短信拒绝请求：${err.code}（请检查 AccessKey、签名和模板配置）`), true);
  }
  const errno = (err as { code?: unknown })?.code;
  if (typeof errno === 'string' && NOT_SENT_ERRNO.has(errno)) return new SmsSendError(`无法连接阿里云短信服务（${errno}）`);
  const what = err instanceof Error ? err.message : String(err);
  return new SmsSendError(clip(`发送结果未知（${what}），请核实后手动重发`), true);
}
