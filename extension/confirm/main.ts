// The confirmation window: shows the number a frame or a selection asks to dial, and dials only on the agent's word.
import { callWorker, commandWorker } from '../background/api.js';
import { assertContext } from '../lib/context-guard.js';
import '../shared-ui/extension-page.css';
import './confirm.css';

assertContext('extension-page', 'extension/confirm/main.ts');

/** The context menu and the shortcut dial after this long unless the agent cancels: time to read the number. */
const COUNTDOWN_S = 3;
/** Clicks that were already on their way when the window opened do not count (as for the chip: click-guard.ts). */
const INPUT_PROTECTION_MS = 500;

const id = new URLSearchParams(location.search).get('id') ?? '';
const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const callButton = $<HTMLButtonElement>('#call');
const cancelButton = $<HTMLButtonElement>('#cancel');
let timer = 0;
let done = false;

function finish(sentence?: string): void {
  done = true;
  window.clearInterval(timer);
  callButton.disabled = true;
  cancelButton.disabled = true;
  if (sentence) {
    $('#countdown').hidden = false;
    $('#countdown').textContent = sentence;
    window.setTimeout(() => window.close(), 4000);
  } else window.close();
}

async function call(): Promise<void> {
  if (done) return;
  done = true;
  window.clearInterval(timer);
  const answer = await commandWorker('c2c:sw:confirm-dial', { id });
  if (answer.ok) finish();
  else finish(answer.error);
}

async function cancel(): Promise<void> {
  if (done) return;
  await commandWorker('c2c:sw:cancel-dial', { id });
  finish();
}

async function show(): Promise<void> {
  const view = await callWorker('c2c:sw:pending-dial', { id }).catch(() => ({ found: false as const }));
  if (!view.found) {
    $('#number').textContent = 'This call request has expired.';
    cancelButton.textContent = 'Close';
    cancelButton.addEventListener('click', () => window.close());
    return;
  }
  const v = view;
  $('#number').textContent = v.extension ? `${v.number} ext. ${v.extension}` : v.number;
  callButton.textContent = `Call ${v.number}`;
  if (v.contactName) {
    $('#who').hidden = false;
    $('#who').textContent = v.contactName;
  }
  $('#why').textContent = v.pageUrl ? `${v.why} Page: ${v.pageUrl}` : v.why;
  callButton.addEventListener('click', (e) => {
    if (e.isTrusted) void call();
  });
  cancelButton.addEventListener('click', () => void cancel());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') void cancel();
  });
  window.addEventListener('beforeunload', () => {
    if (!done) void commandWorker('c2c:sw:cancel-dial', { id });
  });
  cancelButton.focus();
  window.setTimeout(() => {
    callButton.disabled = false;
  }, INPUT_PROTECTION_MS);
  if (v.mode === 'countdown') {
    let left = COUNTDOWN_S;
    const tick = () => {
      $('#countdown').hidden = false;
      $('#countdown').textContent = `Calling in ${left} s…`;
    };
    tick();
    timer = window.setInterval(() => {
      left -= 1;
      if (left <= 0) void call();
      else tick();
    }, 1000);
  }
}

void show();
