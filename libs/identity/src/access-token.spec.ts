import { JwtService } from '@nestjs/jwt';
import { createHmac, createSecretKey } from 'node:crypto';
import { bearerToken, verifyAccessToken } from './access-token.js';

const SECRET = 'sangong-test-secret-0123456789abcdefghij';
const rules = { key: createSecretKey(Buffer.from(SECRET, 'utf8')), issuer: 'sangong', audience: 'sangong-web' };
const jwt = new JwtService({});
const NOW = 1_800_000_000;

// Tokens signed by jsonwebtoken (through @nestjs/jwt, as AuthService signs them).
function sign(
  over: { secret?: string; algorithm?: 'HS256' | 'HS512'; issuer?: string; audience?: string | string[]; exp?: number; nbf?: number } = {},
) {
  const payload: Record<string, unknown> = { sid: 'sid', sub: 'sub', iat: NOW, exp: over.exp ?? NOW + 900 };
  if (over.nbf !== undefined) payload.nbf = over.nbf;
  return jwt.sign(payload, {
    secret: over.secret ?? SECRET,
    algorithm: over.algorithm ?? 'HS256',
    issuer: over.issuer ?? 'sangong',
    audience: over.audience ?? 'sangong-web',
  });
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('verifyAccessToken', () => {
  it('accepts a token as AuthService signs it and returns its claims', () => {
    const r = verifyAccessToken(sign(), rules, NOW);
    expect(r).toEqual({ ok: true, payload: expect.objectContaining({ sid: 'sid', sub: 'sub', iss: 'sangong', aud: 'sangong-web' }) });
    expect(verifyAccessToken(sign({ audience: ['other', 'sangong-web'] }), rules, NOW).ok).toBe(true);
  });

  it('refuses another secret, a changed payload and a changed signature', () => {
    expect(verifyAccessToken(sign({ secret: 'another-secret-0123456789abcdefghijklmn' }), rules, NOW)).toEqual({
      ok: false,
      reason: 'signature',
    });
    const [h, , s] = sign().split('.');
    const forged = b64({ sid: 'sid', sub: 'admin', iss: 'sangong', aud: 'sangong-web', exp: NOW + 900 });
    expect(verifyAccessToken(`${h}.${forged}.${s}`, rules, NOW)).toEqual({ ok: false, reason: 'signature' });
    const [h2, p2] = sign().split('.');
    expect(verifyAccessToken(`${h2}.${p2}.${s.slice(0, -2)}`, rules, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses any algorithm but HS256, "none" included, even with a valid HMAC', () => {
    expect(verifyAccessToken(sign({ algorithm: 'HS512' }), rules, NOW)).toEqual({ ok: false, reason: 'algorithm' });
    const body = b64({ sid: 'sid', sub: 'sub', iss: 'sangong', aud: 'sangong-web', exp: NOW + 900 });
    expect(verifyAccessToken(`${b64({ alg: 'none', typ: 'JWT' })}.${body}.`, rules, NOW).ok).toBe(false);
    const head = b64({ alg: 'none' });
    const mac = createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
    expect(verifyAccessToken(`${head}.${body}.${mac}`, rules, NOW)).toEqual({ ok: false, reason: 'algorithm' });
    const good = b64({ alg: 'HS256', typ: 'JWT' });
    const goodMac = createHmac('sha256', SECRET).update(`${good}.${body}`).digest('base64url');
    expect(verifyAccessToken(`${good}.${body}.${goodMac}`, rules, NOW).ok).toBe(true);
  });

  it('refuses an expired token at its exp second, a token not yet valid, and one without exp', () => {
    const t = sign({ exp: NOW + 60 });
    expect(verifyAccessToken(t, rules, NOW + 59).ok).toBe(true);
    expect(verifyAccessToken(t, rules, NOW + 60)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyAccessToken(sign({ nbf: NOW + 10 }), rules, NOW)).toEqual({ ok: false, reason: 'not_yet_valid' });
    expect(verifyAccessToken(sign({ nbf: NOW }), rules, NOW).ok).toBe(true);
    const head = b64({ alg: 'HS256', typ: 'JWT' });
    const body = b64({ sid: 'sid', sub: 'sub', iss: 'sangong', aud: 'sangong-web' });
    const mac = createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
    expect(verifyAccessToken(`${head}.${body}.${mac}`, rules, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses another issuer or audience', () => {
    expect(verifyAccessToken(sign({ issuer: 'someone-else' }), rules, NOW)).toEqual({ ok: false, reason: 'issuer' });
    expect(verifyAccessToken(sign({ audience: 'another-app' }), rules, NOW)).toEqual({ ok: false, reason: 'audience' });
  });

  it('refuses garbage without throwing', () => {
    for (const bad of ['', 'abc', 'a.b', 'a.b.c.d', '!!.??.**', `${'a'.repeat(5000)}.b.c`, `${b64([1])}.${b64({})}.sig`, 'eyJ.eyJ.eyJ']) {
      expect(verifyAccessToken(bad, rules, NOW).ok).toBe(false);
    }
  });
});

describe('bearerToken', () => {
  it('takes the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken(['Bearer x'])).toBeNull();
  });
});
