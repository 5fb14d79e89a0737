import { Divisions1764370000001 } from './1764370000001-divisions.js';
import { Identity1764370000002 } from './1764370000002-identity.js';
import { AuditLog1764370000003 } from './1764370000003-audit-log.js';

/** Every migration, in order. A new migration file is added here too. */
export const migrations = [Divisions1764370000001, Identity1764370000002, AuditLog1764370000003];
