/**
 * The Chinese names of identity's audit actions and targets: pure data, registered with the audit
 * catalog by IdentityModule. It must import nothing.
 */
export const IDENTITY_AUDIT_NAMES = {
  actions: {
    'auth.login': '登录',
    'auth.logout': '退出登录',
    'auth.refresh': '续期登录',
    'auth.refresh_reuse': '旧登录凭证被再次使用（疑似被盗用，已注销会话）',
    'auth.activate': '激活账号',
    'auth.password_change': '修改密码',
    'grant.create': '授予角色',
    'grant.revoke': '收回角色',
    'account.disable': '停用账号',
    'account.enable': '启用账号',
    'register.person_create': '登记村民',
    'register.person_update': '修改村民信息',
    'register.person_offline': '修改村民无智能手机标记或帮助人',
    'pii.reveal': '查看村民完整身份证号或手机号',
    'access.denied': '越权访问被拒绝',
  },
  targets: {
    account: '账号',
    session: '登录会话',
    person: '村民',
    role_grant: '角色授权',
  },
} as const;
