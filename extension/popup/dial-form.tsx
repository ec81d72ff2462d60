// Type a number and call it.
import { useState, type FormEvent } from 'react';
import type { DialInput } from './popup-api.js';

export function DialForm({ disabled, onDial }: { disabled: boolean; onDial: (input: DialInput) => void }) {
  const [number, setNumber] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (number.trim() !== '') onDial({ to: number.trim() });
  };
  return (
    <form className="dial-form" aria-label="Dial a number" onSubmit={submit}>
      <label>
        <span className="visually-hidden">Number to call</span>
        <input type="tel" name="number" placeholder="Number to call" aria-label="Number to call" value={number} onChange={(e) => setNumber(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={disabled}>
        Call
      </button>
    </form>
  );
}
