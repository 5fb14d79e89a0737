import { DomainError } from '#platform';

/** The messaging module's error codes: one meaning each. */
export const MessagingErrorCode = {
  messageNotFound: 'OUTBOX_MESSAGE_NOT_FOUND',
  notFailed: 'OUTBOX_MESSAGE_NOT_FAILED',
  notificationNotFound: 'NOTIFICATION_NOT_FOUND',
} as const;

export const MessagingErrors = {
  messageNotFound: () => new DomainError('not_found', MessagingErrorCode.messageNotFound, '短信记录不存在'),
  notFailed: () => new DomainError('conflict', MessagingErrorCode.notFailed, '只有发送失败的短信可以重发'),
  notificationNotFound: () => new DomainError('not_found', MessagingErrorCode.notificationNotFound, '通知不存在'),
};
