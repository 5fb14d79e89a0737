import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';

export interface AccessTokenRules {
  key: KeyObject;
  issuer: string;
  audience: string;
}

export type VerifiedToken =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: 'malformed' | 'algorithm' | 'signature' | 'expired' | 'not_yet_valid' | 'issuer' | 'audience' };

const B64URL = /^[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 4096;

function json(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Verifies an access token as AuthService issues it: a compact JWS signed with HS256 and nothing else
 * (the header's `alg` must say so: no `none`, no algorithm switch), a signature compared in constant
 * time, `exp` required and in the future, `nbf` if present not in the future, `iss` and `aud` equal to
 * ours. The same checks jsonwebtoken makes for these options, at a fraction of its cost per request
 * (it is on the path of every authenticated request; see docs/performance.md).
 */
export function verifyAccessToken(token: string, rules: AccessTokenRules, nowSeconds = Math.floor(Date.now() / 1000)): VerifiedToken {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return { ok: false, reason: 'malformed' };
  const [h, p, s] = parts;
  const header = json(h);
  if (!header) return { ok: false, reason: 'malformed' };
  if (header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT') || header.crit !== undefined)
    return { ok: false, reason: 'algorithm' };
  const expected = createHmac('sha256', rules.key).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  const payload = json(p);
  if (!payload) return { ok: false, reason: 'malformed' };
  if (typeof payload.exp !== 'number') return { ok: false, reason: 'malformed' };
  if (nowSeconds >= payload.exp) return { ok: false, reason: 'expired' };
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || nowSeconds < payload.nbf))
    return { ok: false, reason: 'not_yet_valid' };
  if (payload.iss !== rules.issuer) return { ok: false, reason: 'issuer' };
  const aud = payload.aud;
  if (!(aud === rules.audience || (Array.isArray(aud) && aud.includes(rules.audience)))) return { ok: false, reason: 'audience' };
  return { ok: true, payload };
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const m = /^Bearer ([^\s]+)$/i.exec(header.trim());
  return m ? m[1] : null;
}
