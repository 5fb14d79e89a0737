import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { APP_CONFIG, type AppConfig } from '#platform';
import { type AccessTokenRules, bearerToken, verifyAccessToken } from './access-token.js';

export interface AccessClaims {
  sub: string;
  sid: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Verify = (payload: Record<string, unknown>, done: (err: unknown, user?: unknown, info?: unknown) => void) => void;

// passport.Strategy is passport-strategy's base class; passport attaches success/fail/error to each
// request's copy of the strategy.
const PassportBase = (passport as unknown as { Strategy: new () => object }).Strategy;

/** A passport strategy for our bearer access tokens (HS256), verified by verifyAccessToken. */
class BearerAccessTokenStrategy extends PassportBase {
  declare success: (user: unknown, info?: unknown) => void;
  declare fail: (challenge?: unknown, status?: number) => void;
  declare error: (err: unknown) => void;

  constructor(
    private readonly rules: AccessTokenRules,
    private readonly verify: Verify,
  ) {
    super();
  }

  authenticate(req: { headers: Record<string, string | string[] | undefined> }): void {
    const token = bearerToken(req.headers.authorization);
    if (!token) return this.fail({ name: 'NoTokenError' }, 401);
    const checked = verifyAccessToken(token, this.rules);
    if (!checked.ok)
      return this.fail({ name: checked.reason === 'expired' ? 'TokenExpiredError' : 'JsonWebTokenError', reason: checked.reason }, 401);
    this.verify(checked.payload, (err, user, info) => {
      if (err) return this.error(err);
      if (!user) return this.fail(info, 401);
      this.success(user, info);
    });
  }
}

/** Verifies the access token (signature, exp, iss, aud); the guard then loads the account and session. */
@Injectable()
export class JwtStrategy extends PassportStrategy(BearerAccessTokenStrategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ key: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')), issuer: config.jwtIssuer, audience: config.jwtAudience });
  }

  validate(payload: Record<string, unknown>): AccessClaims | false {
    const { sub, sid } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || !UUID.test(sub) || !UUID.test(sid)) return false;
    return { sub, sid };
  }
}
