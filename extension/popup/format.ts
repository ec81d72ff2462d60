// How the popup writes durations, call statuses, page addresses, phone numbers and dates.
import type { CallStatus } from '../../shared/call-status.js';
import { formatForPeople } from '../../shared/phone/format.js';

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

const STATUS_WORDS: Record<CallStatus, string> = {
  initiated: 'Dialling',
  ringing: 'Ringing',
  'in-progress': 'In progress',
  completed: 'Completed',
  busy: 'Busy',
  'no-answer': 'No answer',
  failed: 'Failed',
  canceled: 'Canceled',
};

export function statusWords(status: CallStatus): string {
  return STATUS_WORDS[status];
}

/** The host name of a page address, or the address itself when it does not parse. */
export function pageHost(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/**
 * A number as people write it: national for the default country, international otherwise, with its extension; text that
 * is not a number (a client identity) is shown as it is.
 */
export function formatPhone(number: string, extension?: string | null, defaultCountry = 'US'): string {
  const shown = /^\+[1-9]\d{6,14}$/.test(number) ? formatForPeople(number, defaultCountry) : number;
  return extension ? `${shown} ext. ${extension}` : shown;
}

const TIME = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const DAY_YEAR = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric' });

/** When a call was, for a list read at a glance: "Today 14:02", "Yesterday 09:10", "Nov 24 10:00" (English, the popup's language). */
export function relativeWhen(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);
  const time = TIME.format(at);
  if (days === 0) return `Today ${time}`;
  if (days === 1) return `Yesterday ${time}`;
  return `${(at.getFullYear() === now.getFullYear() ? DAY : DAY_YEAR).format(at)} ${time}`;
}

/** Refusals the backend makes of the number itself (calling again would be refused again), not of the moment (busy agent, limits). */
const REFUSED_NUMBER_CODES = new Set([
  'invalid-number', 'country-not-allowed', 'premium-number', 'shared-cost-number', 'personal-number', 'unknown-number-type',
  'emergency-number', 'invalid-extension', 'blocked-prefix', 'nanp-976', 'nanp-personal', 'ca-high-cost', 'ca-non-geographic',
]);

/** Whether a call was refused for its number (then no Redial is offered, and the row says why). */
export function isRefusedNumber(call: { status: string; errorCode: string | null }): boolean {
  return call.status === 'failed' && call.errorCode !== null && REFUSED_NUMBER_CODES.has(call.errorCode);
}
