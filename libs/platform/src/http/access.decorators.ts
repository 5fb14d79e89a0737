import { SetMetadata } from '@nestjs/common';
import type { Permission } from './actor.js';

export const PERMISSION_KEY = 'sangong:permission';
export const PUBLIC_KEY = 'sangong:public';
/** Logged in, no particular permission (e.g. "my profile"). */
export const AUTHENTICATED = 'authenticated';

/** The named permission a route requires; the global guard denies any route without this or @Public(). */
export const RequirePermission = (permission: Permission | typeof AUTHENTICATED) => SetMetadata(PERMISSION_KEY, permission);
/** The route is reachable without a login (login itself, health, public reference data). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
