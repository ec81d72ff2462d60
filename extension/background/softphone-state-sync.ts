// Reacts to the softphone's state: caches it, paints the badge, and says why a call failed.
import type { SoftphoneState } from '../protocol/softphone.js';
import { badgeFor, type BadgeView } from './badge.js';

export interface StateSyncDeps {
  readCached(): Promise<SoftphoneState | null>;
  writeCached(state: SoftphoneState): Promise<void>;
  setBadge(view: BadgeView): Promise<void>;
  notify(id: string, message: string): Promise<void>;
  openPermissionPage(): Promise<void>;
}

export async function onSoftphoneState(state: SoftphoneState, deps: StateSyncDeps): Promise<void> {
  const previous = await deps.readCached();
  await deps.writeCached(state);
  await deps.setBadge(badgeFor(state));
  const call = state.call;
  const endedNow = call?.phase === 'ended' && !(previous?.call?.id === call.id && previous.call.phase === 'ended');
  if (!call || !endedNow || !call.error) return;
  await deps.notify(`call-${call.id}`, call.error.message);
  if (call.error.action === 'open-permission') await deps.openPermissionPage();
}
