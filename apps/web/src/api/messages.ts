import { ApiError } from './client';

/**
 * Friendlier words for codes whose server message is terse or technical. Domain messages from the
 * server are already Chinese and specific, so they are shown as they are.
 */
const FRIENDLY: Record<string, string> = {
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  UNAUTHENTICATED: '请先登录',
  TOKEN_INVALID: '登录已失效，请重新登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  SESSION_REVOKED: '登录已失效，请重新登录',
  PERMISSION_DENIED: '您当前的身份没有执行此操作的权限',
  ROUTE_NOT_FOUND: '该功能暂不可用（服务器上没有这个接口）',
  NOT_FOUND: '记录不存在，或不在您的管辖范围内',
  MALFORMED_REQUEST: '提交的内容格式有误，请检查后重试',
  DATABASE_UNAVAILABLE: '系统正在维护，请稍后再试',
  QUERY_TIMEOUT: '查询时间太长，请缩小范围后再试',
  INTERNAL_ERROR: '系统出了点问题，请稍后再试',
  TOO_MANY_REQUESTS: '操作太频繁，请稍等一分钟再试',
  PAYLOAD_TOO_LARGE: '文件太大，请分成几个小文件再导入',
  STATE_CHANGED: '这条记录刚被别人改过，请刷新后再试',
  DUPLICATE_RECORD: '这条记录已经存在',
};

export function messageOf(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'VALIDATION_FAILED') {
      const fields = Object.values(err.fieldErrors);
      return fields.length ? `请修改后再提交：${fields.join('；')}` : err.message;
    }
    return FRIENDLY[err.code] ?? err.message;
  }
  return '出现未知错误，请刷新页面后重试';
}
