import { SetMetadata } from '@nestjs/common';

export const PERMISSION_KEY = 'sangong:permission';
export const PUBLIC_KEY = 'sangong:public';

/** The named permission a route requires; the global guard denies any route without this or @Public(). */
export const RequirePermission = (permission: string) => SetMetadata(PERMISSION_KEY, permission);
/** The route is reachable without a login (login itself, health, public reference data). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Logged in, no particular permission (e.g. "my profile"). */
export const AUTHENTICATED = 'authenticated';
