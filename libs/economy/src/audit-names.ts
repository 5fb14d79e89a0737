/**
 * The Chinese names of 集体经济's audit actions and targets: pure data, registered with the audit
 * catalog by EconomyModule.
 */
export const ECONOMY_AUDIT_NAMES = {
  actions: {
    'economy.org_create': '集体经济组织：登记',
    'economy.org_update': '集体经济组织：修改',
    'economy.org_officers': '集体经济组织：修改理事会、监事会成员',

    'economy.org_figures': '集体经济组织：填报年度数据',
    'economy.member_add': '集体经济组织：增加成员',
    'economy.member_shares': '集体经济组织：调整成员份额',
    'economy.member_representative_elect': '集体经济组织：登记选举产生的成员代表',
    'economy.member_representative_end': '集体经济组织：成员代表任期终止',
    'economy.company_create': '平台公司：登记',
    'economy.company_update': '平台公司：修改',
    'economy.company_shareholders': '平台公司：修改股东',
    'economy.company_alliance': '平台公司：修改联营村',
    'economy.company_figures': '平台公司：填报年度数据',
    'economy.import': '集体经济：Excel 导入',
    'economy.setting_update': '集体经济：修改薄弱村标准',
    'economy.year_confirm': '集体经济：确认年度数据',
    'economy.year_unlock': '集体经济：解锁年度数据',
  } as Record<string, string>,
  targets: {
    collective_org: '集体经济组织',
    platform_company: '平台公司',
    economy_import_job: 'Excel 导入任务',
    economy_setting: '薄弱村标准',
    economy_year_lock: '年度数据确认',
  },
};
