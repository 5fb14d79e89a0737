import { DomainError } from '#platform';

/** The audit module's error codes: one meaning each. */
export const AuditErrorCode = {
  anchorFileInvalid: 'AUDIT_ANCHOR_FILE_INVALID',
} as const;

export type AuditErrorCode = (typeof AuditErrorCode)[keyof typeof AuditErrorCode];

export const AuditErrors = {
  anchorFileInvalid: (problem: string) => new DomainError('internal', AuditErrorCode.anchorFileInvalid, `审计锚点文件损坏：${problem}`),
};
