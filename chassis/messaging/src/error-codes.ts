/** Error codes the messaging chassis answers with. Append-only: a published code keeps its meaning. */
export const MessagingErrorCode = {
  /** No dead letter with that id in this service. */
  DeadLetterNotFound: 'MESSAGING_DEAD_LETTER_NOT_FOUND',
} as const;

export type MessagingErrorCode = (typeof MessagingErrorCode)[keyof typeof MessagingErrorCode];
