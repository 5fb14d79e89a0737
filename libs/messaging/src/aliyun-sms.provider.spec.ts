import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import openapi from '@alicloud/openapi-core';
import { AliyunSmsProvider } from './aliyun-sms.provider.js';
import { SmsSendError } from './sms-provider.js';

/**
 * The signature V3 (ACS3-HMAC-SHA256) worked example that Alibaba Cloud publishes: "V3版本请求体&签名机制",
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature (steps 1–4, the same
 * example repeated in https://help.aliyun.com/zh/functioncompute/fc/developer-reference/signature-mechanism):
 * POST /, query ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai, the
 * headers below, an empty body, AccessKey YourAccessKeyId / YourAccessKeySecret. Published: the hashed
 * canonical request 7ea06492…e259 and Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0.
 */
const PUBLISHED = {
  request: {
    method: 'POST',
    pathname: '/',
    query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-version': '2014-05-26',
    },
  },
  authorization:
    'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
};

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
// The function the SDK's request path (openapi-core Client.doRequest) calls to sign every request.
const sign = (req: object, payloadHash: string, id: string, secret: string) =>
  openapi.OpenApiUtil.getAuthorization(req as never, 'ACS3-HMAC-SHA256', payloadHash, id, secret);

describe('Alibaba Cloud SMS: request signing (signature V3)', () => {
  it("reproduces Alibaba's published worked example", () => {
    expect(sign(PUBLISHED.request, EMPTY_SHA256, 'YourAccessKeyId', 'YourAccessKeySecret')).toBe(PUBLISHED.authorization);
  });
  it('a changed secret or parameter changes the signature', () => {
    expect(sign(PUBLISHED.request, EMPTY_SHA256, 'YourAccessKeyId', 'AnotherSecret')).not.toBe(PUBLISHED.authorization);
    const other = { ...PUBLISHED.request, query: { ...PUBLISHED.request.query, RegionId: 'cn-beijing' } };
    expect(sign(other, EMPTY_SHA256, 'YourAccessKeyId', 'YourAccessKeySecret')).not.toBe(PUBLISHED.authorization);
  });
});

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in for dysmsapi.aliyuncs.com on 127.0.0.1: records each request and answers as told. */
async function fakeAliyun(
  answer: (n: number) => { status: number; body: object },
): Promise<{ server: Server; host: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
      const a = answer(seen.length);
      res.writeHead(a.status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const config = (endpoint: string) => ({
  accessKeyId: 'LTAItestkeyid0001',
  accessKeySecret: 'testsecret0123456789abcdef',
  signName: '长治三共',
  endpoint,
  templates: {
    meeting_notice: 'SMS_100000001',
    meeting_arranged: 'SMS_100000005',
    voting_opened: 'SMS_100000002',
    closing_soon: 'SMS_100000003',
    result_published: 'SMS_100000004',
  },
});

const request = {
  phone: '13912345678',
  kind: 'closing_soon' as const,
  templateCode: 'SMS_100000003',
  params: { greeting: '张三您好', matter: '村东道路硬化工程', closes: '12月11日 08:00' },
  outId: 'b7c0a2de-0000-4000-8000-000000000001',
};

describe('Alibaba Cloud SMS: the adapter against a local stand-in', () => {
  it('sends SendSms with the sign name, template, JSON parameters and OutId, signed with the configured key by that function', async () => {
    const f = await fakeAliyun(() => ({ status: 200, body: { Code: 'OK', Message: 'OK', BizId: '9006197469364984400', RequestId: 'r1' } }));
    try {
      const p = new AliyunSmsProvider(config(f.host), { protocol: 'http' });
      expect(p.templateFor('closing_soon')).toBe('SMS_100000003');
      await expect(p.send(request)).resolves.toEqual({ providerMessageId: '9006197469364984400' });
      expect(f.seen).toHaveLength(1);
      const s = f.seen[0];
      expect(s.headers['x-acs-action']).toBe('SendSms');
      expect(s.headers['x-acs-version']).toBe('2017-05-25');
      const sent = { ...s.query, ...Object.fromEntries(new URLSearchParams(s.body)) };
      expect(sent).toMatchObject({
        PhoneNumbers: '13912345678',
        SignName: '长治三共',
        TemplateCode: 'SMS_100000003',
        OutId: request.outId,
      });
      expect(JSON.parse(sent.TemplateParam)).toEqual(request.params);
      // The Authorization header is the published algorithm over what was sent, with the configured key.
      const signedHeaders = Object.fromEntries(
        Object.entries(s.headers).filter(([k]) => k.startsWith('x-acs-') || k === 'host' || k === 'content-type'),
      ) as Record<string, string>;
      const recomputed = sign(
        { method: s.method, pathname: s.path, query: s.query, headers: signedHeaders },
        signedHeaders['x-acs-content-sha256'],
        'LTAItestkeyid0001',
        'testsecret0123456789abcdef',
      );
      expect(s.headers.authorization).toBe(recomputed);
      expect(s.headers.authorization).toMatch(
        /^ACS3-HMAC-SHA256 Credential=LTAItestkeyid0001,SignedHeaders=[^,]*x-acs-date[^,]*,Signature=[0-9a-f]{64}$/,
      );
    } finally {
      f.server.close();
    }
  });

  it('a refusal is an error in Chinese: a wrong number is permanent, a server error is retried, once per send (no hidden retries)', async () => {
    const f = await fakeAliyun((n) =>
      n === 1
        ? { status: 200, body: { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号', RequestId: 'r2' } }
        : { status: 503, body: { Code: 'ServiceUnavailable', Message: 'busy', RequestId: 'r3' } },
    );
    try {
      const p = new AliyunSmsProvider(config(f.host), { protocol: 'http' });
      const wrong = await p.send(request).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(SmsSendError);
      expect(wrong).toMatchObject({ permanent: true, message: '阿里云短信未受理：非法手机号（isv.MOBILE_NUMBER_ILLEGAL）' });
      const busy = await p.send(request).catch((e: unknown) => e);
      expect(busy).toBeInstanceOf(SmsSendError);
      expect(busy).toMatchObject({ permanent: false });
      expect((busy as Error).message).toContain('阿里云短信暂时不可用');
      expect(f.seen).toHaveLength(2);
    } finally {
      f.server.close();
    }
  });
});
