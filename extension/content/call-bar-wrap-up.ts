// The call bar's wrap-up form, shown once a call has ended: outcome (pre-selected), notes, optional follow-up day; Save or Skip (Escape).
import type { WrapUpFields, WrapUpView } from '../protocol/messages.js';

export const WRAP_UP_STYLES = `
.wrapup { display: flex; flex-direction: column; gap: 6px; margin: 0; padding: 0; border: 0; }
.wrapup[hidden] { display: none; }
.wrapup .title { font-weight: 600; }
.wrapup select, .wrapup textarea, .wrapup input {
  font: 13px/18px system-ui, sans-serif; color: #202124; background: #fff; border: 1px solid #9aa0a6; border-radius: 6px;
  padding: 4px 6px; box-sizing: border-box; width: 100%;
}
.wrapup textarea { resize: vertical; min-height: 54px; }
.wrapup label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: #e8eaed; }
.wrapup .error { color: #fdd663; margin: 0; }
.wrapup .error:empty { display: none; }
.wrapup button.save { background: #8ab4f8; color: #202124; }
.saved { color: #81c995; margin: 0; }
.saved[hidden] { display: none; }
`;

export interface WrapUpActions {
  save(fields: WrapUpFields): void;
  skip(): void;
  /** The agent started on the wrap-up (focus, pointer, typing): it stays until saved or left. */
  touched(): void;
}

/** Whether the bar should stay open for the wrap-up (not yet saved or left). */
export function wrapUpPending(view: WrapUpView | null | undefined): boolean {
  return !!view && view.state !== 'saved';
}

export function createWrapUpSection(doc: Document, actions: WrapUpActions) {
  const form = doc.createElement('form');
  form.className = 'wrapup';
  form.setAttribute('aria-label', 'Wrap-up');
  form.noValidate = true;
  const title = doc.createElement('div');
  title.className = 'title';
  title.textContent = 'Wrap up this call';
  const field = (text: string, control: HTMLElement) => {
    const label = doc.createElement('label');
    label.append(text, control);
    return label;
  };
  const outcome = doc.createElement('select');
  outcome.name = 'outcome';
  const notes = doc.createElement('textarea');
  notes.name = 'notes';
  notes.maxLength = 2000;
  notes.rows = 3;
  notes.placeholder = 'What was said, what comes next';
  const followUp = doc.createElement('input');
  followUp.type = 'date';
  followUp.name = 'followUp';
  const error = doc.createElement('p');
  error.className = 'error';
  error.setAttribute('role', 'alert');
  const buttons = doc.createElement('div');
  buttons.className = 'actions';
  const skip = doc.createElement('button');
  skip.type = 'button';
  skip.textContent = 'Skip';
  const save = doc.createElement('button');
  save.type = 'submit';
  save.className = 'save';
  save.textContent = 'Save wrap-up';
  buttons.append(skip, save);
  form.append(title, field('Outcome', outcome), field('Notes', notes), field('Follow up on (optional)', followUp), error, buttons);
  const saved = doc.createElement('p');
  saved.className = 'saved';
  saved.setAttribute('role', 'status');
  saved.textContent = 'Wrap-up saved.';
  saved.hidden = true;

  /** The offer the fields were filled for: a repaint of the same offer keeps what the agent typed. */
  let filledFor: string | null = null;

  // Only the person's own actions count; a page cannot reach into the closed root, and cannot act for the agent.
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!e.isTrusted) return;
    if (!outcome.value) {
      error.textContent = 'Choose an outcome for the call.';
      return;
    }
    error.textContent = '';
    actions.save({ outcomeId: outcome.value, notes: notes.value.slice(0, 2000), followUpOn: /^\d{4}-\d{2}-\d{2}$/.test(followUp.value) ? followUp.value : null });
  });
  skip.addEventListener('click', (e) => {
    if (e.isTrusted) actions.skip();
  });
  for (const type of ['focusin', 'pointerdown', 'input'] as const) {
    form.addEventListener(type, (e) => {
      if (e.isTrusted) actions.touched();
    });
  }
  form.addEventListener('keydown', (e) => {
    if (!e.isTrusted) return;
    if (e.key === 'Escape') actions.skip();
    else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });

  return {
    elements: [form, saved] as const,
    /** `key` names the ended call, so the fields are filled once per offer. */
    render(view: WrapUpView | null | undefined, key: string) {
      form.hidden = !wrapUpPending(view);
      saved.hidden = view?.state !== 'saved';
      if (!view) {
        filledFor = null;
        return;
      }
      if (filledFor !== key) {
        filledFor = key;
        outcome.replaceChildren();
        const none = doc.createElement('option');
        none.value = '';
        none.textContent = 'Choose an outcome…';
        none.disabled = true;
        outcome.append(none, ...view.outcomes.map((o) => Object.assign(doc.createElement('option'), { value: o.id, textContent: o.label })));
        outcome.value = view.selected ?? '';
        notes.value = '';
        followUp.value = '';
      }
      save.disabled = view.state === 'saving';
      save.textContent = view.state === 'saving' ? 'Saving…' : 'Save wrap-up';
      error.textContent = view.state === 'failed' ? (view.error ?? 'The wrap-up could not be saved; try again.') : '';
    },
  };
}
