import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PERMISSION_KEY, PUBLIC_KEY } from '#platform';

/** A DTO class, as Nest's metadata holds it. */
export type DtoClass = abstract new (...args: never[]) => object;

export interface Route {
  method: string;
  /** Nest's form: /api/v1/proposals/:id */
  path: string;
  permission?: string;
  isPublic: boolean;
  /** The classes of the handler's @Body() and @Query() arguments, when it has them. */
  body?: DtoClass;
  query?: DtoClass;
}

/** Every route of every controller, read from Nest's metadata (what the router registers). */
export function allRoutes(app: NestFastifyApplication): Route[] {
  const modules = app.get(ModulesContainer);
  const reflector = app.get(Reflector);
  const routes: Route[] = [];
  const controllers = [...modules.values()].flatMap((m) => [...m.controllers.values()]);
  for (const wrapper of controllers) {
    const cls = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
    if (!cls) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
    const proto = cls.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const sub = Reflect.getMetadata(PATH_METADATA, handler);
      if (sub === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const path = `/${[base, String(sub)].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/');
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, cls, name) ?? {}) as Record<string, { index: number; data?: string }>;
      const types = (Reflect.getMetadata('design:paramtypes', proto, name) ?? []) as DtoClass[];
      const argOf = (type: RouteParamtypes) => {
        const entry = Object.entries(args).find(([key, a]) => key.startsWith(`${type}:`) && a.data === undefined);
        return entry ? types[entry[1].index] : undefined;
      };
      routes.push({
        method,
        path,
        permission: reflector.getAllAndOverride<string>(PERMISSION_KEY, [handler as () => void, cls]),
        isPublic: !!reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler as () => void, cls]),
        body: argOf(RouteParamtypes.BODY),
        query: argOf(RouteParamtypes.QUERY),
      });
    }
  }
  return routes;
}
