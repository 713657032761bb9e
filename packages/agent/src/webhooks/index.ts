export {
  getWebhookSecretKey,
  signWebhook,
  verifyWebhook,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type SignWebhookArgs,
  type VerifyWebhookArgs,
  type VerifyWebhookResult,
  type WebhookHeaders,
} from "./sign.js";
export {
  alertEventId,
  createOutboxEventSink,
  createWebhookBody,
  getOpFinishedEvent,
  opEventId,
  WEBHOOK_EVENT_TYPES,
  type OpEventKind,
  type OpFinishedArgs,
  type OutboxEventSink,
  type WebhookEventType,
} from "./events.js";
export {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
  type WebhookDispatcherState,
} from "./create-webhook-dispatcher.js";
