import type { NotificationKind, OutboxKind, OutboxState } from './names.js';

/** One message of the outbox as the committee sees it: never the phone number in full. */
export interface OutboxMessageView {
  id: string;
  kind: OutboxKind;
  kindName: string;
  state: OutboxState;
  /** The state in Chinese; a queued message that has failed before reads 等待重试. */
  stateName: string;
  /** The person the message went to (the elector, or the helper relaying it). */
  recipientName: string;
  phoneMasked: string | null;
  /** The elector a helper was asked to tell; null when the message went to the elector. */
  relayForName: string | null;
  divisionCode: string;
  proposalId: string | null;
  /** The text as sent (or to be sent). */
  text: string;
  attempts: number;
  /** How many times it was put back by hand after failing. */
  manualRetries: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** An in-app notification of the caller's. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  /** The proposal it is about (村事共议), if any. */
  proposalId: string | null;
  /** Where the web opens it (a path of the web app), if anywhere. */
  link: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

/** A page of the caller's notifications, with how many are unread in all. */
export interface NotificationList {
  items: NotificationView[];
  total: number;
  page: number;
  pageSize: number;
  unread: number;
}
