import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommonErrors } from '../errors/domain-error.js';

/**
 * The named permissions. Identity fills this registry from its role→permission table (permissions.ts,
 * by declaration merging), so `Permission` is the union of the table's keys and a misspelt permission
 * fails to compile wherever one is named: routes, scope queries, checks.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface PermissionRegistry {}
export type Permission = Extract<keyof PermissionRegistry, string>;

export interface Grant {
  role: string;
  divisionCode: string;
}

/**
 * The authenticated caller, built fresh from the database by the global guard on every request
 * (so a disabled account or a revoked role is refused at once). Identity implements it.
 */
export interface Actor {
  /** null only for the system actor (seeds, scheduled jobs). */
  accountId: string | null;
  personId: string | null;
  realName: string;
  homeDivisionCode: string;
  grants: readonly Grant[];
  roles: readonly string[];
  /** The grant's division used for audit rows: the narrowest grant that carries the route's permission. */
  divisionCode: string | null;
  requestId: string;
  ip: string;
  /** Division codes where the caller holds `permission`; records outside them are invisible. */
  scopesFor(permission: Permission): string[];
  /** Whether the caller holds `permission` at `divisionCode` or above it. */
  can(permission: Permission, divisionCode: string): boolean;
  /** The roles the caller holds that reach `divisionCode`. */
  rolesAt(divisionCode: string): string[];
}

export type RequestWithActor = FastifyRequest & { actor?: Actor };

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<RequestWithActor>();
  if (!req.actor) throw CommonErrors.unauthenticated();
  return req.actor;
});
