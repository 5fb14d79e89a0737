import { type AnswerOf, type NoContent, type Page, route } from '../../platform/src/http/contract.js';
import type { OutboxState } from './names.js';
import type { NotificationList, OutboxMessageView } from './views.js';

export interface OutboxQuery {
  page?: number;
  pageSize?: number;
  /** A division in the caller's scope (its villages included). */
  divisionCode?: string;
  state?: OutboxState;
  proposalId?: string;
}

export interface NotificationQuery {
  page?: number;
  pageSize?: number;
  unreadOnly?: boolean;
}

/** 短信发送记录 (the outbox, read by the committee and the township, a failed message put back) and the caller's in-app notifications. */
export const messagingRoutes = {
  'GET /api/v1/outbox': route<Page<OutboxMessageView>, OutboxQuery>(),
  'POST /api/v1/outbox/:id/retry': route<NoContent>(),
  'GET /api/v1/notifications': route<NotificationList, NotificationQuery>(),
  'POST /api/v1/notifications/:id/read': route<NoContent>(),
};

export type MessagingAnswer<K extends keyof typeof messagingRoutes> = AnswerOf<(typeof messagingRoutes)[K]>;
