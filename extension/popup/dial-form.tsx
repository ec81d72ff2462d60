// Type a number and call it. The number field has focus when the popup opens (and after signing in).
import { useState, type FormEvent, type RefObject } from 'react';
import type { DialInput } from './popup-api.js';

export function DialForm({ disabled, onDial, inputRef }: { disabled: boolean; onDial: (input: DialInput) => void; inputRef?: RefObject<HTMLInputElement | null> }) {
  const [number, setNumber] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (number.trim() !== '') onDial({ to: number.trim() });
  };
  return (
    <form className="dial-form" aria-label="Dial a number" onSubmit={submit}>
      <label>
        <span className="visually-hidden">Number to call</span>
        <input ref={inputRef} autoFocus type="tel" name="number" placeholder="Number to call" aria-label="Number to call" value={number} onChange={(e) => setNumber(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={disabled}>
        Call
      </button>
    </form>
  );
}
