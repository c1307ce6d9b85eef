export { Tally, type CreateOptions, type TallyOptions } from './tally.js';
export {
  TallyApiError,
  TallyConnectionError,
  TallyWebhookVerificationError,
  type ErrorBody,
} from './errors.js';
export { Pages, type Page } from './pages.js';
export { verifyWebhook, type WebhookEventPayload, type WebhookHeaders } from './webhooks.js';
export type { components, operations, paths } from './generated/openapi.js';
