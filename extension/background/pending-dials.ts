// Dials waiting for the agent's word in the confirmation window, kept in storage.session (the worker keeps no state).
import { z } from 'zod';
import { dialSourceSchema } from '../protocol/extension-messages.js';

const PENDING_DIAL_PREFIX = 'c2c:pending-dial:';
/** A confirmation left open longer than this is stale: the page the number came from may have changed since. */
const PENDING_DIAL_TTL_MS = 2 * 60_000;

export const pendingDialSchema = z.object({
  id: z.string().uuid(),
  input: z.object({
    to: z.string().max(64),
    extension: z.string().max(16).optional(),
    contactName: z.string().max(200).optional(),
    pageUrl: z.string().max(2048).optional(),
    pageTitle: z.string().max(500).optional(),
  }),
  source: dialSourceSchema,
  /** 'confirm': only the agent's click on Call dials; 'countdown': dials after a few seconds unless cancelled. */
  mode: z.enum(['confirm', 'countdown']),
  /** Why it asks, for the window ("a frame from ads.example, inside news.example"). */
  why: z.string().max(300),
  createdAt: z.number(),
});
export type PendingDial = z.infer<typeof pendingDialSchema>;

export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export async function savePendingDial(area: SessionArea, dial: PendingDial): Promise<void> {
  await area.set({ [PENDING_DIAL_PREFIX + dial.id]: dial });
}

/** The pending dial with that id if it is still fresh; null when unknown, malformed or stale. */
export async function readPendingDial(area: SessionArea, id: string, now: number): Promise<PendingDial | null> {
  const key = PENDING_DIAL_PREFIX + id;
  const parsed = pendingDialSchema.safeParse((await area.get(key))[key]);
  if (!parsed.success) return null;
  if (now - parsed.data.createdAt > PENDING_DIAL_TTL_MS) {
    await area.remove(key);
    return null;
  }
  return parsed.data;
}

/** Takes the pending dial out (so one confirmation places at most one call) and returns it if it was fresh. */
export async function takePendingDial(area: SessionArea, id: string, now: number): Promise<PendingDial | null> {
  const dial = await readPendingDial(area, id, now);
  await area.remove(PENDING_DIAL_PREFIX + id);
  return dial;
}
