// The organization's phone numbers: agents list them (the "Call from" picker); admins add, remove and import them
// (`npm run numbers:add` while the server runs, or an admin agent).
import { Hono } from 'hono';
import { z } from 'zod';
import { toE164 } from '../../shared/phone/normalize.js';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { cleanText } from '../http/free-text.js';
import { requireAdmin, type AdminEnv } from '../http/require-admin.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { validate } from '../http/validation.js';
import type { PhoneNumber } from '../store/inbound-store.js';
import { twilioPhoneNumberSource, type PhoneNumberSource } from '../twilio/twilio-phone-numbers.js';

const addSchema = z.object({
  number: z.string({ message: 'Give the phone number, in E.164 (+14155550100).' }).min(1).max(64),
  label: z.string().max(60, 'A label is at most 60 characters.').optional(),
  isDefault: z.boolean().optional(),
});

/** What agents see of a number. */
const publicNumber = (n: PhoneNumber) => ({ e164: n.e164, label: n.label, isDefault: n.isDefault });

/** A number as admins give it: E.164 (a national number is read in the default country), valid. */
function e164Of(input: string, defaultCountry: string): string {
  const parsed = toE164(input, defaultCountry);
  if (!parsed.ok) throw new ApiError(400, 'invalid-number', `${input.slice(0, 64)} is not a phone number: ${parsed.message}`);
  return parsed.e164;
}

export function phoneNumberRoutes({ auth, store }: AppDeps) {
  return new Hono<AgentEnv>().get('/', requireAgent(auth, store), async (c) => {
    const numbers = await store.listPhoneNumbers(c.get('agent').organizationId);
    return c.json({ numbers: numbers.map(publicNumber) });
  });
}

export function adminPhoneNumberRoutes(deps: AppDeps & { phoneNumberSource?: PhoneNumberSource }) {
  const { store, config, creds, logger } = deps;
  const app = new Hono<AdminEnv>();
  app.use('*', requireAdmin(deps));

  app.get('/', async (c) => c.json({ numbers: (await store.listPhoneNumbers(c.get('admin').organizationId)).map(publicNumber) }));

  app.post('/', validate('json', addSchema), async (c) => {
    const body = c.req.valid('json');
    const { organizationId, agentId } = c.get('admin');
    const e164 = e164Of(body.number, config.defaultCountry);
    const result = await store.addPhoneNumber({ organizationId, e164, label: cleanText(body.label, 60) ?? '', isDefault: body.isDefault ?? false, twilioSid: null });
    if (result.taken) throw new ApiError(409, 'number-taken', `${e164} belongs to another organization. A number rings one organization only.`);
    logger.info('admin.number-added', { organizationId, e164, isDefault: result.number.isDefault, by: agentId ?? 'command-line' });
    return c.json({ number: publicNumber(result.number), created: result.created }, result.created ? 201 : 200);
  });

  app.delete('/:e164', async (c) => {
    const { organizationId, agentId } = c.get('admin');
    const e164 = e164Of(decodeURIComponent(c.req.param('e164')), config.defaultCountry);
    if (!(await store.removePhoneNumber(organizationId, e164))) throw new ApiError(404, 'no-such-number', `This organization has no number ${e164}.`);
    logger.info('admin.number-removed', { organizationId, e164, by: agentId ?? 'command-line' });
    return c.body(null, 204);
  });

  // Twilio mode: every number of the account joins the organization (numbers of another organization are left alone).
  app.post('/import', async (c) => {
    const { organizationId, agentId } = c.get('admin');
    const source = deps.phoneNumberSource ?? (config.telephony.kind === 'twilio' ? twilioPhoneNumberSource(creds) : null);
    if (!source) throw new ApiError(409, 'not-twilio-mode', 'Importing numbers needs a Twilio account: set the TWILIO_* variables, or add numbers one by one.');
    const listed = await source.listNumbers();
    const imported: ReturnType<typeof publicNumber>[] = [];
    const skipped: Array<{ e164: string; reason: string }> = [];
    for (const n of listed) {
      const result = await store.addPhoneNumber({ organizationId, e164: n.e164, label: cleanText(n.friendlyName ?? undefined, 60) ?? '', isDefault: false, twilioSid: n.sid });
      if (result.taken) skipped.push({ e164: n.e164, reason: 'It belongs to another organization.' });
      else imported.push(publicNumber(result.number));
    }
    logger.info('admin.numbers-imported', { organizationId, imported: imported.length, skipped: skipped.length, by: agentId ?? 'command-line' });
    return c.json({ imported, skipped });
  });

  return app;
}
