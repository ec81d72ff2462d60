// The in-page call bar: the live call where the agent is looking, drawn in the overlay's closed shadow root.
import { placeCallBar } from './call-bar-placement.js';
import type { Rect } from './chip-placement.js';
import type { CallBarView, WrapUpFields } from '../protocol/messages.js';
import { createIncomingBarPart, INCOMING_BAR_STYLES } from './call-bar-incoming.js';
import { createWrapUpSection, WRAP_UP_STYLES, wrapUpPending } from './call-bar-wrap-up.js';

const BAR_STYLES = `
.bar {
  /* Under the chip and its highlight (2147483647 and …46): a number's Call chip opens over the bar, never under it. */
  position: fixed; z-index: 2147483645; right: 16px; bottom: 16px; box-sizing: border-box; width: 300px;
  display: none; flex-direction: column; gap: 6px; padding: 10px 12px; border-radius: 10px;
  font: 13px/18px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #fff; background: #202124;
  box-shadow: 0 4px 16px rgb(0 0 0 / 0.35); text-align: left;
}
.bar[data-open] { display: flex; }
.bar .top { display: flex; align-items: baseline; gap: 8px; cursor: move; user-select: none; }
.bar .who { font-weight: 600; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar .number { font-variant-numeric: tabular-nums; color: #e8eaed; }
.bar .state { display: flex; gap: 8px; align-items: baseline; }
.bar .timer { font-variant-numeric: tabular-nums; color: #e8eaed; }
.bar .reason, .bar .notice { color: #fdd663; }
.bar .reason:empty, .bar .notice:empty { display: none; }
.bar .actions { display: flex; gap: 8px; justify-content: flex-end; }
.bar button {
  font: 600 13px/18px system-ui, sans-serif; padding: 4px 12px; border-radius: 14px; border: 1px solid #8ab4f8;
  background: transparent; color: #8ab4f8; cursor: pointer;
}
.bar button:focus-visible { outline: 3px solid #fbbc04; outline-offset: 2px; }
.bar button.hangup { background: #d93025; border-color: #d93025; color: #fff; }
.bar button[hidden] { display: none; }
.bar[data-phase="ended"] { background: #3c4043; }
.bar .keypad { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; }
.bar .keypad[hidden] { display: none; }
.bar .keypad button { padding: 6px 0; border-radius: 8px; font-size: 15px; color: #e8eaed; border-color: #5f6368; }
.bar .sent { font-variant-numeric: tabular-nums; color: #e8eaed; letter-spacing: 0.1em; min-height: 18px; }
.bar .sent:empty { display: none; }
`;

export interface CallBarActions {
  hangup(): void;
  setMuted(muted: boolean): void;
  /** One key the agent pressed on the bar's keypad (a menu, an extension): sent as a tone in the live call. */
  sendDigit(digit: string): void;
  /** An incoming call's Answer and Decline (absent: the bar shows no incoming calls). */
  answer?(callSid: string): void;
  decline?(callSid: string): void;
  saveWrapUp(fields: WrapUpFields): void;
  skipWrapUp(): void;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export interface CallBar {
  render(view: CallBarView | null): void;
  /**
   * Where the number the call came from is now (viewport coordinates; null: not on this screen), so the bar opens beside
   * it and never on it, and where the other numbers on screen are, so the bar leaves them and their chips clickable.
   */
  avoid(numberRect: () => DOMRect | null, otherNumbers?: () => Rect[]): void;
  /** A sentence for the agent in the bar (a dial refused while a call is live), cleared by the next render. */
  notice(sentence: string): void;
  readonly element: HTMLElement;
}

/** How long the final result stays on screen after a call ends (with no wrap-up waiting). */
const ENDED_BAR_MS = 6000;
/** How long "Wrap-up saved." stays. */
const SAVED_BAR_MS = 2500;
/** How long an untouched wrap-up stays in the bar (the popup and history still offer it after). */
const WRAP_UP_BAR_MS = 9000;

function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

export function createCallBar(doc: Document, actions: CallBarActions): { bar: CallBar; styles: string } {
  const win = doc.defaultView!;
  const el = doc.createElement('section');
  el.className = 'bar';
  el.setAttribute('aria-label', 'Current call');
  const top = doc.createElement('div');
  top.className = 'top';
  const who = doc.createElement('span');
  who.className = 'who';
  const number = doc.createElement('span');
  number.className = 'number';
  top.append(who, number);
  const state = doc.createElement('div');
  state.className = 'state';
  // Only the state is announced (calling, ringing, in call, the result): the timer is outside the live region.
  const status = doc.createElement('span');
  status.className = 'status';
  status.setAttribute('role', 'status');
  const timer = doc.createElement('span');
  timer.className = 'timer';
  state.append(status, timer);
  const reason = doc.createElement('p');
  reason.className = 'reason';
  reason.style.margin = '0';
  const notice = doc.createElement('p');
  notice.className = 'notice';
  notice.style.margin = '0';
  notice.setAttribute('role', 'alert');
  const buttons = doc.createElement('div');
  buttons.className = 'actions';
  const mute = doc.createElement('button');
  mute.type = 'button';
  const hangup = doc.createElement('button');
  hangup.type = 'button';
  hangup.className = 'hangup';
  hangup.textContent = 'Hang up';
  const keypadToggle = doc.createElement('button');
  keypadToggle.type = 'button';
  keypadToggle.textContent = 'Keypad';
  keypadToggle.setAttribute('aria-expanded', 'false');
  buttons.append(keypadToggle, mute, hangup);
  const keypad = doc.createElement('div');
  keypad.className = 'keypad';
  keypad.setAttribute('role', 'group');
  keypad.setAttribute('aria-label', 'Keypad');
  keypad.hidden = true;
  const sent = doc.createElement('div');
  sent.className = 'sent';
  sent.setAttribute('aria-label', 'Keys sent');
  for (const key of KEYS) {
    const b = doc.createElement('button');
    b.type = 'button';
    b.textContent = key;
    b.dataset.key = key;
    keypad.append(b);
  }
  const incoming = createIncomingBarPart(doc, { answer: (sid) => actions.answer?.(sid), decline: (sid) => actions.decline?.(sid) }, (sentence) => bar.notice(sentence));
  buttons.prepend(...incoming.buttons);
  /** The ended call (its endedAt) whose wrap-up the agent has started here: the bar then stays until saved or left. */
  let touchedFor: string | null = null;
  const wrapUp = createWrapUpSection(doc, {
    save: (fields) => actions.saveWrapUp(fields),
    skip: () => actions.skipWrapUp(),
    touched: () => {
      if (current?.phase !== 'ended' || touchedFor === String(current.endedAt)) return;
      touchedFor = String(current.endedAt);
      win.clearTimeout(closeTimer);
    },
  });
  el.append(top, state, reason, incoming.element, notice, ...wrapUp.elements, sent, keypad, buttons);
  // Typing in the wrap-up must not reach the page's own keyboard shortcuts (a mail app's "c" composes).
  for (const type of ['keydown', 'keyup', 'keypress'] as const) el.addEventListener(type, (e) => e.stopPropagation());

  let current: CallBarView | null = null;
  let tick = 0;
  let closeTimer = 0;
  // Only the person's own clicks act: a page cannot reach into the closed root, and cannot click for the agent.
  hangup.addEventListener('click', (e) => {
    if (e.isTrusted) actions.hangup();
  });
  mute.addEventListener('click', (e) => {
    if (e.isTrusted && current) actions.setMuted(!current.muted);
  });
  const press = (key: string) => {
    if (current?.phase !== 'open') return;
    sent.textContent = (sent.textContent + key).slice(-24);
    actions.sendDigit(key);
  };
  keypadToggle.addEventListener('click', (e) => {
    if (!e.isTrusted) return;
    keypad.hidden = !keypad.hidden;
    keypadToggle.setAttribute('aria-expanded', String(!keypad.hidden));
  });
  keypad.addEventListener('click', (e) => {
    const key = (e.target as HTMLElement).closest?.('button')?.dataset.key;
    if (e.isTrusted && key) press(key);
  });
  // Typed keys work while the keypad is open and the focus is in the bar (the page never sees them: closed root).
  el.addEventListener('keydown', (e) => {
    if (!e.isTrusted || keypad.hidden || e.ctrlKey || e.metaKey || e.altKey || !KEYS.includes(e.key)) return;
    e.preventDefault();
    e.stopPropagation();
    press(e.key);
  });

  // Movable by its top line, with the real pointer only; kept inside the viewport.
  let drag: { dx: number; dy: number } | null = null;
  let moved = false;
  top.addEventListener('pointerdown', (e) => {
    if (!e.isTrusted) return;
    moved = true;
    const r = el.getBoundingClientRect();
    drag = { dx: e.clientX - r.left, dy: e.clientY - r.top };
    top.setPointerCapture(e.pointerId);
  });
  top.addEventListener('pointermove', (e) => {
    if (!drag || !e.isTrusted) return;
    const left = Math.max(0, Math.min(win.innerWidth - el.offsetWidth, e.clientX - drag.dx));
    const topPx = Math.max(0, Math.min(win.innerHeight - el.offsetHeight, e.clientY - drag.dy));
    Object.assign(el.style, { left: `${left}px`, top: `${topPx}px`, right: 'auto', bottom: 'auto' });
  });
  top.addEventListener('pointerup', () => {
    drag = null;
  });

  // Beside the number the call came from, off every other number and its chip (see call-bar-placement.ts).
  let numberRect: () => DOMRect | null = () => null;
  let otherRects: () => Rect[] = () => [];
  let placing = 0;
  function place(): void {
    placing = 0;
    if (moved || !el.hasAttribute('data-open')) return;
    const at = placeCallBar(numberRect(), otherRects(), { width: el.offsetWidth, height: el.offsetHeight }, { width: win.innerWidth, height: win.innerHeight });
    Object.assign(el.style, { left: `${at.left}px`, top: `${at.top}px`, right: 'auto', bottom: 'auto' });
  }
  const placeSoon = () => {
    if (!placing) placing = win.requestAnimationFrame(place);
  };
  // After a scroll has settled: measuring the numbers on screen at every scrolled frame would cost a long table dearly.
  let settling = 0;
  win.addEventListener('scroll', () => {
    win.clearTimeout(settling);
    settling = win.setTimeout(placeSoon, 150);
  }, { passive: true, capture: true });
  win.addEventListener('resize', placeSoon, { passive: true });

  function paintTimer(): void {
    if (!current) return;
    const end = current.endedAt ?? Date.now();
    timer.textContent = current.answeredAt !== null ? duration(end - current.answeredAt) : '';
  }

  const bar: CallBar = {
    element: el,
    render(view) {
      win.clearInterval(tick);
      win.clearTimeout(closeTimer);
      // How long an ended call's bar stays: its result for ENDED_BAR_MS; a wrap-up offered longer, and for as long as
      // the agent works on it here; "Wrap-up saved." briefly. A result already shown long enough (the tab was in the
      // background) is not shown again.
      let closeIn: number | null = null;
      if (view?.phase === 'ended') {
        const age = Date.now() - (view.endedAt ?? Date.now());
        const touched = touchedFor === String(view.endedAt);
        if (view.wrapUp?.state === 'saved') closeIn = touched ? SAVED_BAR_MS : ENDED_BAR_MS - age;
        else if (wrapUpPending(view.wrapUp)) closeIn = touched ? null : WRAP_UP_BAR_MS - age;
        else closeIn = ENDED_BAR_MS - age;
        if (closeIn !== null && closeIn <= 0) view = null;
      }
      current = view;
      notice.textContent = '';
      if (!view) {
        incoming.render(null);
        el.toggleAttribute('data-open', false);
        return;
      }
      el.toggleAttribute('data-open', true);
      el.dataset.phase = view.phase;
      placeSoon();
      who.textContent = view.contactName ?? view.number;
      number.textContent = view.contactName ? view.number : '';
      if (status.textContent !== view.statusText) status.textContent = view.statusText;
      reason.textContent = view.reason ?? '';
      mute.textContent = view.muted ? 'Unmute' : 'Mute';
      mute.setAttribute('aria-pressed', String(view.muted));
      mute.hidden = view.phase !== 'open';
      keypadToggle.hidden = view.phase !== 'open';
      if (view.phase !== 'open') {
        keypad.hidden = true;
        keypadToggle.setAttribute('aria-expanded', 'false');
        sent.textContent = '';
      }
      hangup.hidden = view.phase === 'ended';
      if (incoming.render(view)) hangup.hidden = true;
      wrapUp.render(view.phase === 'ended' ? view.wrapUp : null, String(view.endedAt));
      paintTimer();
      if (view.phase === 'open') tick = win.setInterval(paintTimer, 1000);
      if (closeIn !== null) closeTimer = win.setTimeout(() => bar.render(null), closeIn);
    },
    avoid(rect, others) {
      numberRect = rect;
      otherRects = others ?? (() => []);
      moved = false;
      placeSoon();
    },
    notice(sentence) {
      el.toggleAttribute('data-open', true);
      notice.textContent = sentence;
      win.clearTimeout(closeTimer);
      if (!current || current.phase === 'ended') closeTimer = win.setTimeout(() => bar.render(current && current.phase !== 'ended' ? current : null), ENDED_BAR_MS);
    },
  };
  return { bar, styles: BAR_STYLES + INCOMING_BAR_STYLES + WRAP_UP_STYLES };
}
