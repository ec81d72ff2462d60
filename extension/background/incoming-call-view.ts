// What the in-page call bar shows of an incoming call ringing for the agent: the caller's name (when the organization
// knows them) or their number formatted for people and its country, Answer/Decline, and a link to the caller's last page.
import parsePhoneNumberFromString from 'libphonenumber-js/min';
import type { CallBarView, WrapUpView } from '../protocol/messages.js';
import { formatForPeople } from '../../shared/phone/format.js';
import { isCallLive, type IncomingCall, type SoftphoneState } from '../protocol/softphone.js';
import { callBarView } from './call-bar-view.js';

/** The country of a number, in words ("United States"); null when it cannot be told. */
export function countryOf(e164: string): string | null {
  const country = parsePhoneNumberFromString(e164)?.country;
  if (!country) return null;
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
}

export function incomingBarView(incoming: IncomingCall, defaultCountry: string): CallBarView {
  const known = /^\+\d{7,15}$/.test(incoming.from);
  return {
    phase: 'ringing',
    number: known ? formatForPeople(incoming.from, defaultCountry) : incoming.from,
    contactName: incoming.contactName,
    statusText: 'Incoming call',
    reason: null,
    muted: false,
    answeredAt: null,
    endedAt: null,
    incoming: { callSid: incoming.callSid, country: known ? countryOf(incoming.from) : null, pageUrl: incoming.pageUrl, pageTitle: incoming.pageTitle },
  };
}

/** The bar's view of the softphone: a live call first, else the incoming call ringing, else the last call's result. */
export function barViewFor(state: Pick<SoftphoneState, 'call' | 'incoming'>, defaultCountry: string, wrapUp: WrapUpView | null = null): CallBarView | null {
  if (state.incoming && !isCallLive(state.call)) return incomingBarView(state.incoming, defaultCountry);
  return callBarView(state.call, defaultCountry, wrapUp);
}
