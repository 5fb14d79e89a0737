/** The Chinese names of the outbox's and the inbox's audit actions and targets, registered with the audit catalog by MessagingModule. */
export const MESSAGING_AUDIT_NAMES = {
  actions: {
    'outbox.retry': '短信：失败后手动重发',
    'notification.read': '阅读通知',
  } as Record<string, string>,
  targets: {
    outbox_message: '短信',
    notification: '通知',
  },
};
