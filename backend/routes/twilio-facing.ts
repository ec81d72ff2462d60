// The Twilio-facing sub-app: the webhooks Twilio's servers post (Voice URLs, status callbacks, <Dial>/<Record> actions),
// each refused unless signed; no CORS, since no page calls them. Mounted at TWILIO_WEBHOOK_PREFIX (app.ts).
import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { requestBodyLimit } from '../http/body-limit.js';
import { signedTwilioForm, type TwilioWebhookEnv } from '../http/twilio-form.js';
import { twilioInboundRoutes } from './twilio-inbound.js';
import { twilioWebhookRoutes } from './twilio-webhooks.js';

export function twilioFacingApp(deps: AppDeps): Hono<TwilioWebhookEnv> {
  const { creds, config } = deps;
  const app = new Hono<TwilioWebhookEnv>();
  app.use('*', requestBodyLimit());
  // On POST only, so that any other method still finds no route (404) rather than a refused signature.
  app.post('*', signedTwilioForm(creds.authToken, config.publicBaseUrl));
  app.route('/', twilioWebhookRoutes(deps));
  app.route('/', twilioInboundRoutes(deps));
  return app;
}
