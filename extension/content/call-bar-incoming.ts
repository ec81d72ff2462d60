// The call bar's part for an incoming call: Answer and Decline, the caller's country, and "Open <page title>" for a
// known caller. Answer is a person's deliberate act, as the chip's Call is (click-guard.ts): the bar was shown, the
// real pointer moved onto the button (or keyboard focus reached it), and long enough ago to have been read.
import type { CallBarView } from '../protocol/messages.js';
import { newChipWatch, refuseActivation, type ChipWatch } from './click-guard.js';

export const INCOMING_BAR_STYLES = `
.bar .incoming { display: flex; flex-direction: column; gap: 4px; }
.bar .incoming[hidden], .bar .incoming a[hidden] { display: none; }
.bar .incoming .country { color: #bdc1c6; }
.bar .incoming a { color: #8ab4f8; text-decoration: underline; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar button.answer { background: #188038; border-color: #188038; color: #fff; }
`;

export interface IncomingBarActions {
  answer(callSid: string): void;
  decline(callSid: string): void;
}

export interface IncomingBarPart {
  /** Country line and page link, placed above the buttons. */
  element: HTMLElement;
  /** Answer and Decline, placed with the bar's other buttons. */
  buttons: HTMLElement[];
  /** Shows or hides the part; returns whether the view is an incoming call (the bar then hides its own buttons). */
  render(view: CallBarView | null): boolean;
}

export function createIncomingBarPart(doc: Document, actions: IncomingBarActions, onRefused: (sentence: string) => void): IncomingBarPart {
  const element = doc.createElement('div');
  element.className = 'incoming';
  element.hidden = true;
  const country = doc.createElement('span');
  country.className = 'country';
  const link = doc.createElement('a');
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  element.append(country, link);
  const answer = doc.createElement('button');
  answer.type = 'button';
  answer.className = 'answer';
  answer.textContent = 'Answer';
  answer.hidden = true;
  const decline = doc.createElement('button');
  decline.type = 'button';
  decline.textContent = 'Decline';
  decline.hidden = true;

  let callSid: string | null = null;
  let watch: ChipWatch = newChipWatch(performance.now());
  answer.addEventListener('pointerenter', (e) => {
    if (e.isTrusted) watch.pointerEntered = true;
  });
  answer.addEventListener('focus', () => {
    watch.focusedAt = performance.now();
  });
  answer.addEventListener('click', (e) => {
    if (!e.isTrusted || !callSid) return;
    // A click with no pointer position (detail 0) came from the keyboard.
    const why = refuseActivation(watch, { kind: e.detail === 0 ? 'keyboard' : 'pointer' }, performance.now());
    if (why) {
      watch.refusedAt = performance.now();
      onRefused(why.replace('The Call button', 'The Answer button').replace('click Call again', 'click Answer again').replace('nothing was dialled', 'the call was not answered'));
      return;
    }
    actions.answer(callSid);
  });
  // Declining takes nothing from the agent (the call rings on for the team, then goes to voicemail): a trusted click is enough.
  decline.addEventListener('click', (e) => {
    if (e.isTrusted && callSid) actions.decline(callSid);
  });

  return {
    element,
    buttons: [answer, decline],
    render(view) {
      const incoming = view?.incoming ?? null;
      element.hidden = incoming === null;
      answer.hidden = incoming === null;
      decline.hidden = incoming === null;
      if (!incoming) {
        callSid = null;
        return false;
      }
      if (incoming.callSid !== callSid) {
        callSid = incoming.callSid;
        const now = performance.now();
        watch = { ...newChipWatch(now), visibleSince: now };
      }
      country.textContent = view?.contactName ? '' : (incoming.country ?? '');
      country.hidden = country.textContent === '';
      const url = incoming.pageUrl && /^https?:\/\//i.test(incoming.pageUrl) ? incoming.pageUrl : null;
      link.hidden = url === null;
      if (url) {
        link.href = url;
        link.textContent = `Open ${incoming.pageTitle ?? new URL(url).hostname}`;
      } else link.removeAttribute('href');
      return true;
    },
  };
}
