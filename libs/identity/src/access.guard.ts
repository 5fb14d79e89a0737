import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AuditService } from '#audit';
import { AUTHENTICATED, CommonErrors, PERMISSION_KEY, type Permission, PUBLIC_KEY, requestMetaOf, type RequestWithActor } from '#platform';
import { buildActor } from './actor.js';
import { IdentityErrors } from './identity.errors.js';
import type { AccessClaims } from './jwt.strategy.js';
import { SessionLoader } from './session-loader.js';

/**
 * The one global guard. Default deny: a route must declare @RequirePermission or @Public.
 * Passport verifies the token; the account, session and grants come from SessionLoader: the database,
 * or the session cache that NOTIFY keeps exact (decision 005), so a disabled account, a logout or a
 * revoked role made through this process takes effect on the next request.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionLoader,
    private readonly audit: AuditService,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | typeof AUTHENTICATED | undefined>(PERMISSION_KEY, targets);
    if (!permission) throw IdentityErrors.routeUndeclared();

    const req = ctx.switchToHttp().getRequest<RequestWithActor>();
    if (!req.headers.authorization) throw IdentityErrors.tokenMissing();
    await super.canActivate(ctx);
    const claims = (req as unknown as { user: AccessClaims }).user;

    const row = await this.sessions.load(claims.sub, claims.sid);
    if (!row) throw IdentityErrors.tokenInvalid();
    if (row.status === 'disabled') throw IdentityErrors.accountDisabled();
    if (row.status !== 'active') throw IdentityErrors.accountNotActivated();
    if (row.sessionRevoked || row.sessionExpired) throw IdentityErrors.sessionRevoked();

    const meta = requestMetaOf(req);
    const actor = buildActor({ ...row, requestId: meta.requestId, ip: meta.ip }, permission === AUTHENTICATED ? undefined : permission);
    req.actor = actor;
    if (permission !== AUTHENTICATED && actor.scopesFor(permission).length === 0) {
      await this.audit.recordAlone({
        actor,
        action: 'access.denied',
        result: 'denied',
        details: { permission, route: `${req.method} ${req.routeOptions?.url ?? req.url}` },
      });
      throw CommonErrors.forbidden();
    }
    return true;
  }

  // passport hands us (err, user, info); map every failure to a stable code.
  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (user) return user;
    if (err) throw IdentityErrors.tokenInvalid();
    const name = (info as { name?: string } | undefined)?.name;
    if (name === 'TokenExpiredError') throw IdentityErrors.tokenExpired();
    throw IdentityErrors.tokenInvalid();
  }
}
