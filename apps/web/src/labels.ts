import { ROLE_NAMES as SERVER_ROLE_NAMES } from '@libs/identity/src/role-names';

/** Chinese names for codes the API returns; the roles' are the server's own (libs/identity/src/role-names.ts). */
export const ROLE_NAMES: Record<string, string> = SERVER_ROLE_NAMES;

export const LEVEL_NAMES: Record<string, string> = { city: '市', county: '县（区）', township: '乡镇（街道）', village: '村（社区）' };

export const ACCOUNT_STATUS: Record<string, string> = { active: '已激活', pending: '待激活', disabled: '已停用' };

export const label = (map: Record<string, string>, code: string | null | undefined): string => (code ? (map[code] ?? code) : '—');

/** A code → name map as the options of a dropdown or picker, in the map's order. */
export const optionsOf = (map: Record<string, string>): { text: string; value: string }[] =>
  Object.entries(map).map(([value, text]) => ({ text, value }));

/** The level of an NBS division code by its length. */
export function levelOfCode(code: string): 'city' | 'county' | 'township' | 'village' | null {
  return ({ 4: 'city', 6: 'county', 9: 'township', 12: 'village' } as const)[code.length as 4 | 6 | 9 | 12] ?? null;
}
