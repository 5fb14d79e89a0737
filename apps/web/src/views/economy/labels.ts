export const COMPANY_STATUS: Record<string, string> = { preparing: '筹建', operating: '运营', suspended: '停业', deregistered: '注销' };
export const COMPANY_LEVEL: Record<string, string> = { county: '县级', township: '乡镇级' };
export const ORG_LEVEL: Record<string, string> = { group: '组级', village: '村级', township: '乡镇级' };
export const ORG_STATUS: Record<string, string> = { active: '正常', cancelled: '注销' };
export const ALLIANCE_KIND: Record<string, string> = { enterprise: '企业', cooperative: '合作社', collective_org: '集体经济组织' };
export const OFFICER_ROLE: Record<string, string> = { chair: '理事长', director: '理事', supervisor: '监事' };
export const IMPORT_KINDS: Record<string, string> = {
  orgs: '集体经济组织',
  companies: '平台公司',
  shareholders: '股东',
  org_figures: '组织年度数据',
  company_figures: '公司年度数据',
  dividends: '分红',
};

/** Basis points to a percentage: 3550 → 35.50%. */
export const bp = (v: number) => `${(v / 100).toFixed(2)}%`;

export interface ChangeView {
  id: string;
  action: string;
  changedAt: string;
  actorName: string;
  changes: Record<string, { old: unknown; new: unknown }>;
}

export interface ImportRowError {
  sheet: string;
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface ImportJob {
  id: string;
  fileName: string;
  dryRun: boolean;
  status: 'running' | 'succeeded' | 'failed';
  total: number;
  processed: number;
  errors: ImportRowError[] | null;
  result: { written: boolean; counts: Record<string, { created: number; updated: number; unchanged: number }> } | null;
}
