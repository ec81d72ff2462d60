// The toolbar badge and title for the softphone's state.
import type { SoftphoneState } from '../protocol/softphone.js';

export interface BadgeView {
  text: string;
  color: string;
  title: string;
}

export function badgeFor(state: SoftphoneState): BadgeView {
  const call = state.call;
  const who = call ? (call.contactName ? `${call.contactName} (${call.to})` : call.to) : '';
  if (!call) return { text: '', color: '#5f6368', title: 'Click-to-call' };
  switch (call.phase) {
    case 'connecting':
      return { text: '…', color: '#5f6368', title: `Calling ${who}` };
    case 'ringing':
      return { text: 'RING', color: '#e37400', title: `Ringing ${who}` };
    case 'open':
      return { text: call.muted ? 'MUTE' : 'LIVE', color: '#188038', title: `In call with ${who}` };
    case 'ended':
      return call.status === 'completed' || call.status === 'canceled'
        ? { text: '', color: '#5f6368', title: 'Click-to-call' }
        : { text: '!', color: '#d93025', title: `Call to ${who} ${call.status ?? 'ended'}${call.error ? `: ${call.error.message}` : ''}` };
  }
}
