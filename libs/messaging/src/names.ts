/**
 * The outbox's codes and their Chinese names, and the SMS texts: pure data, shared with the web
 * (docs/decisions/006-shared-names.md). The texts are the templates an SMS provider approves; the log
 * provider and the committee's list render them from the same strings.
 */

export const OUTBOX_KINDS = ['meeting_notice', 'meeting_arranged', 'voting_opened', 'closing_soon', 'result_published'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const OUTBOX_KIND_NAMES: Record<OutboxKind, string> = {
  meeting_notice: '会议通知',
  meeting_arranged: '会议时间地点',
  voting_opened: '表决开始',
  closing_soon: '表决即将截止',
  result_published: '表决结果',
};

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export const OUTBOX_STATE_NAMES: Record<OutboxState, string> = {
  queued: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
};

/** The name of a queued message that has failed before and waits for its next try. */
export const RETRYING_NAME = '等待重试';

/** The parameters of each kind's template besides `greeting` ("张三您好" or, to a helper, "请转告张三"). */
export interface SmsContent {
  meeting_notice: { body: string; matter: string; time: string; place: string };
  meeting_arranged: { body: string; matter: string; time: string; place: string };
  voting_opened: { body: string; matter: string; closes: string };
  closing_soon: { matter: string; closes: string };
  result_published: { matter: string; outcome: string };
}

/** A template's parameters as stored with the message and sent to the provider. */
export type SmsParams = Record<string, string>;

/** Each kind's text, with ${name} for its parameters (an SMS: short, one idea, where to learn more). */
export const SMS_TEMPLATES: Record<OutboxKind, string> = {
  meeting_notice: '${greeting}：本村将召开${body}表决"${matter}"，${time}起可投票，地点${place}。详见村务公开栏。',
  meeting_arranged: '${greeting}：${body}表决"${matter}"定于${time}在${place}召开现场会议，每人只参加一次。详见村务公开栏。',
  voting_opened: '${greeting}：${body}表决"${matter}"已开始，${closes}截止，可到会现场参加或在网上投票。',
  closing_soon: '${greeting}："${matter}"将于${closes}截止表决，您尚未参加。',
  result_published: '${greeting}："${matter}"表决结果：${outcome}。详见村务公开栏。',
};

/** The text a kind's template gives with these parameters (a missing one stays visible as ${name}). */
export function renderSms(kind: OutboxKind, params: SmsParams): string {
  return SMS_TEMPLATES[kind].replace(/\$\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** How a message greets its recipient: the elector by name, or the helper asked to pass it on. */
export const greetingFor = (electorName: string, relay: boolean): string => (relay ? `请转告${electorName}` : `${electorName}您好`);

/**
 * In-app notifications (the inbox): every kind any module sends, as one list (the table's CHECK holds the
 * same). 村事共议's proposals and votes, and 村务共管's disclosures and queries.
 */
export const NOTIFICATION_KINDS = [
  'voting_opened',
  'closing_soon',
  'result_published',
  'proposal_returned',
  'proposal_approved',
  'joint_threshold_reached',
  'meeting_notice',
  'approval_recorded',
  'meeting_arranged',
  'disclosure_due',
  'disclosure_overdue',
  'disclosure_submitted',
  'disclosure_returned',
  'query_asked',
  'query_answered',
  'query_escalated',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
