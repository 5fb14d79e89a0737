/** The home screen's entries, each shown only when the acting role holds the permission. */
export interface MenuEntry {
  title: string;
  icon: string;
  to: string;
  permission: string;
  group: '村事共议' | '村务共管' | '集体经济' | '人民调解' | '村民与账号' | '监督';
  /** Only when acting at one of these division levels (by code length: 4 city, 6 county, 9 township). */
  levels?: number[];
  /** A count shown on the entry (things waiting for this person). */
  badge?: 'needsMyVote' | 'awaitingMyReview' | 'unread';
}

export const MENU: MenuEntry[] = [
  { title: '待我投票', icon: 'passed', to: '/proposals?tab=vote', permission: 'ballot.cast', group: '村事共议', badge: 'needsMyVote' },
  {
    title: '待我审核',
    icon: 'todo-list-o',
    to: '/proposals?tab=review',
    permission: 'proposal.review',
    group: '村事共议',
    badge: 'awaitingMyReview',
  },
  { title: '议题', icon: 'comment-o', to: '/proposals?tab=all', permission: 'proposal.read', group: '村事共议' },
  { title: '新建议题', icon: 'add-o', to: '/proposals/new', permission: 'proposal.write', group: '村事共议' },
  {
    title: '议事统计',
    icon: 'chart-trending-o',
    to: '/proposals-stats',
    permission: 'proposal.read',
    group: '村事共议',
    levels: [4, 6, 9],
  },
  { title: '联名提议', icon: 'friends-o', to: '/joint-requests', permission: 'proposal.read', group: '村事共议', levels: [12] },
  { title: '逾期未召集', icon: 'warning-o', to: '/joint-requests/overdue', permission: 'proposal.review', group: '村事共议', levels: [9] },
  { title: '村民会议授权', icon: 'certificate', to: '/authorisations', permission: 'proposal.read', group: '村事共议', levels: [9, 12] },
  { title: '村务公开栏', icon: 'bullhorn-o', to: '/notices', permission: 'notice.read', group: '村事共议' },
  { title: '短信发送记录', icon: 'envelop-o', to: '/outbox', permission: 'outbox.read', group: '村事共议' },
  { title: '我的通知', icon: 'bell', to: '/notifications', permission: 'identity.me', group: '村事共议', badge: 'unread' },
  { title: '村务公开', icon: 'notes-o', to: '/disclosures', permission: 'disclosure.read', group: '村务共管' },
  { title: '新建公开事项', icon: 'add-o', to: '/disclosures/new', permission: 'disclosure.write', group: '村务共管' },
  { title: '待监委会审核', icon: 'todo-list-o', to: '/disclosures?state=submitted', permission: 'disclosure.review', group: '村务共管' },
  { title: '村民质询', icon: 'question-o', to: '/disclosure-queries', permission: 'disclosure.write', group: '村务共管' },
  { title: '村民质询', icon: 'question-o', to: '/disclosure-queries', permission: 'disclosure.review', group: '村务共管' },
  { title: '我的质询', icon: 'question-o', to: '/disclosure-queries', permission: 'disclosure.query', group: '村务共管' },
  { title: '质询督办', icon: 'question-o', to: '/disclosure-queries', permission: 'openness.oversee', group: '村务共管' },
  {
    title: '公开日程',
    icon: 'calendar-o',
    to: '/openness/schedule',
    permission: 'openness.oversight.read',
    group: '村务共管',
    levels: [12],
  },
  {
    title: '公开进度',
    icon: 'chart-trending-o',
    to: '/openness/oversight',
    permission: 'openness.oversight.read',
    group: '村务共管',
    levels: [4, 6, 9],
  },
  { title: '我的调解', icon: 'friends-o', to: '/mediation/mine', permission: 'mediation.case.apply', group: '人民调解' },
  { title: '申请调解', icon: 'edit', to: '/mediation/apply', permission: 'mediation.case.apply', group: '人民调解' },
  { title: '调解案件', icon: 'description', to: '/mediation', permission: 'mediation.case.read', group: '人民调解' },
  { title: '登记案件', icon: 'add-o', to: '/mediation/new', permission: 'mediation.case.write', group: '人民调解' },
  { title: '调解工作台', icon: 'chart-trending-o', to: '/mediation/dashboard', permission: 'mediation.case.read', group: '人民调解' },
  { title: '集体经济组织', icon: 'cluster-o', to: '/economy/orgs', permission: 'economy.org.read', group: '集体经济' },
  { title: '平台公司', icon: 'shop-o', to: '/economy/companies', permission: 'economy.company.read', group: '集体经济' },
  { title: 'Excel 导入导出', icon: 'exchange', to: '/economy/import', permission: 'economy.org.write', group: '集体经济' },
  { title: '经济汇总', icon: 'bar-chart-o', to: '/economy/dashboard', permission: 'economy.stats.read', group: '集体经济' },
  { title: '村民名册', icon: 'friends-o', to: '/register', permission: 'identity.person.read', group: '村民与账号' },
  { title: '登记村民', icon: 'add-o', to: '/register/new', permission: 'identity.register.write', group: '村民与账号' },
  { title: '批量导入', icon: 'upgrade', to: '/register/import', permission: 'identity.register.write', group: '村民与账号' },
  { title: '角色授权', icon: 'manager-o', to: '/grants', permission: 'identity.grant', group: '村民与账号' },
  { title: '审计日志', icon: 'records-o', to: '/audit', permission: 'audit.read', group: '监督' },
  { title: '行政区划', icon: 'location-o', to: '/divisions', permission: 'identity.me', group: '村民与账号' },
];

export const MENU_GROUPS: MenuEntry['group'][] = ['村事共议', '村务共管', '人民调解', '集体经济', '村民与账号', '监督'];
