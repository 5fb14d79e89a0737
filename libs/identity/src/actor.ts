import { isWithinAny, normalizeScopes } from '#divisions';
import type { Actor, Grant, Permission } from '#platform';
import { roleHas } from './permissions.js';
import { isPrivateRole, type Role } from './roles.js';

export interface ActorBase {
  accountId: string | null;
  personId: string | null;
  realName: string;
  homeDivisionCode: string;
  grants: readonly Grant[];
  requestId: string;
  ip: string;
}

/** The Actor the guard attaches to a request; pure, built from rows the guard just read. */
export function buildActor(base: ActorBase, routePermission?: Permission): Actor {
  const cache = new Map<string, string[]>();
  const scopesFor = (permission: Permission): string[] => {
    let s = cache.get(permission);
    if (!s) {
      s = normalizeScopes(base.grants.filter((g) => roleHas(g.role as Role, permission)).map((g) => g.divisionCode));
      cache.set(permission, s);
    }
    return s;
  };
  const routeScopes = routePermission ? scopesFor(routePermission) : [];
  return {
    ...base,
    // The roles an audit row records the actor acting in: a private role (留党察看) grants no power, so it
    // explains no action, and naming it would show the sanction to every reader of the log (decision 065).
    roles: [...new Set(base.grants.map((g) => g.role).filter((r) => !isPrivateRole(r)))].sort(),
    divisionCode: routeScopes[0] ?? base.grants[0]?.divisionCode ?? null,
    scopesFor,
    can: (permission, divisionCode) => isWithinAny(divisionCode, scopesFor(permission)),
    rolesAt: (divisionCode) => [...new Set(base.grants.filter((g) => divisionCode.startsWith(g.divisionCode)).map((g) => g.role))].sort(),
  };
}

/** The actor for seeds and scheduled jobs: city-wide, no account; audit rows show account NULL, role "system". */
export function systemActor(requestId: string): Actor {
  const a = buildActor({
    accountId: null,
    personId: null,
    realName: '系统',
    homeDivisionCode: '1404',
    grants: [{ role: 'city_admin', divisionCode: '1404' }],
    requestId,
    ip: '127.0.0.1',
  });
  return { ...a, roles: ['system'] };
}
