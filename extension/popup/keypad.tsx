// The in-call keypad: each key sends one DTMF digit.
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export function Keypad({ onDigit }: { onDigit: (digit: string) => void }) {
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
