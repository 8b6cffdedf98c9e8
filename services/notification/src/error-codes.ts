/** Codes notification answers with. Append-only: a published code keeps its meaning and is never reused. */
export const NotificationErrorCode = {
  /** No mail with this id in the mailbox. */
  MailNotFound: 'NOTIFICATION_MAIL_NOT_FOUND',
} as const;
