// The in-call keypad: each key sends one DTMF digit; typed digits, * and # work too while it is open.
import { useEffect } from 'react';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export function Keypad({ onDigit }: { onDigit: (digit: string) => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      // Typing into a field (the number to call, a search) stays typing.
      if (e.ctrlKey || e.metaKey || e.altKey || target?.closest('input, textarea, select')) return;
      if (KEYS.includes(e.key)) {
        e.preventDefault();
        onDigit(e.key);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onDigit]);
  return (
    <div className="keypad" role="group" aria-label="Keypad">
      {KEYS.map((key) => (
        <button key={key} type="button" aria-label={`Send ${key}`} onClick={() => onDigit(key)}>
          {key}
        </button>
      ))}
    </div>
  );
}
