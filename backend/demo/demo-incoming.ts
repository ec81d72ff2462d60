// The demo page's "Simulate an incoming call" button (simulated mode only): Grace Hall calls the Demo organization's
// number through the simulator, which plays it through the real inbound webhooks. JSON only, so no other site's
// page can make it ring (a cross-origin JSON request needs a preflight this route never allows).
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { incomingTarget } from '../sim/sim-inbound-routes.js';
import type { TwilioSimulator } from '../sim/twilio-simulator.js';

export const DEMO_CALLER = '+14155550134';

export function mountDemoIncomingCall(app: Hono, deps: AppDeps, sim: TwilioSimulator): void {
  app.post('/demo/incoming-call', async (c) => {
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      throw new ApiError(415, 'unsupported-media-type', 'Send this request as JSON, with Content-Type: application/json.');
    }
    const organization = await deps.store.findOrganization('Demo');
    if (!organization) throw new ApiError(404, 'no-demo-organization', 'There is no Demo organization: start the server on an empty DATA_DIR to create it.');
    // A new demo gets a number of its own, so the button works at once.
    if ((await deps.store.listPhoneNumbers(organization.id)).length === 0) {
      await deps.store.addPhoneNumber({ organizationId: organization.id, e164: deps.creds.callerId, label: 'Demo line', isDefault: true, twilioSid: null });
    }
    const to = await incomingTarget(deps, organization.id, undefined);
    const { callSid } = sim.placeIncomingCall(DEMO_CALLER, to);
    return c.json({ callSid, from: DEMO_CALLER, to }, 201);
  });
}
