/** Chinese names for codes the API returns. */
export const ROLE_NAMES: Record<string, string> = {
  resident: '村民',
  village_representative: '村民代表',
  party_member: '党员',
  collective_member: '集体经济组织成员',
  village_committee: '村委会（村"两委"）',
  supervision_committee: '村务监督委员会',
  township_staff: '乡镇干部',
  mediator: '人民调解员',
  county_admin: '县（区）管理员',
  city_admin: '市管理员',
};

export const LEVEL_NAMES: Record<string, string> = { city: '市', county: '县（区）', township: '乡镇（街道）', village: '村（社区）' };

export const ACCOUNT_STATUS: Record<string, string> = { active: '已激活', pending: '待激活', disabled: '已停用' };

export const label = (map: Record<string, string>, code: string | null | undefined): string => (code ? (map[code] ?? code) : '—');

/** The level of an NBS division code by its length. */
export function levelOfCode(code: string): 'city' | 'county' | 'township' | 'village' | null {
  return ({ 4: 'city', 6: 'county', 9: 'township', 12: 'village' } as const)[code.length as 4 | 6 | 9 | 12] ?? null;
}
