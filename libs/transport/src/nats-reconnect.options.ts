/**
 * How every Tightloop NATS connection (services and the loop) rides out a NATS restart:
 * reconnect for ever, every 250 ms. What went unanswered meanwhile the loop sends again.
 */
export const NATS_RECONNECT_FOREVER = {
  reconnect: true,
  maxReconnectAttempts: -1,
  reconnectTimeWait: 250,
} as const;
