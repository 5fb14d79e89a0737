// The roles, their names, the levels they are held at and who grants them live in role-names.ts (shared with the web UI).
export {
  EXTRA_VILLAGE_ROLES,
  GRANTABLE,
  HELD_BESIDE,
  isPrivateRole,
  isRole,
  PRIVATE_ROLES,
  ROLE_LEVEL_NAMES,
  ROLE_LEVELS,
  ROLE_NAMES,
  ROLES,
  type Role,
} from './role-names.js';
