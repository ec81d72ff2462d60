// What the simulated far end does, scripted by the destination's last digits (the README's table).
export type ScriptedOutcome =
  | { kind: 'busy' }
  | { kind: 'no-answer' }
  | { kind: 'failed' }
  /** Answers; the far end hangs up after `hangUpAfterMs`. */
  | { kind: 'answer-then-hang-up'; hangUpAfterMs: number }
  /** Answers and stays up until the agent hangs up. */
  | { kind: 'answer' };

const SCRIPTED_OUTCOMES: ReadonlyArray<{ endsWith: string; outcome: ScriptedOutcome; meaning: string }> = [
  { endsWith: '0000', outcome: { kind: 'busy' }, meaning: 'busy' },
  { endsWith: '0001', outcome: { kind: 'no-answer' }, meaning: 'rings, nobody answers (no-answer)' },
  { endsWith: '0002', outcome: { kind: 'failed' }, meaning: 'the call cannot be connected (failed)' },
  { endsWith: '0003', outcome: { kind: 'answer-then-hang-up', hangUpAfterMs: 5000 }, meaning: 'answers, the far end hangs up after 5 seconds' },
];

export function scriptedOutcome(e164: string): ScriptedOutcome {
  return SCRIPTED_OUTCOMES.find((s) => e164.endsWith(s.endsWith))?.outcome ?? { kind: 'answer' };
}

/** Realistic timing, in milliseconds of simulated time (multiplied by the time scale). */
export const SIM_TIMING = {
  ringingAfterMs: 500,
  answerAfterMs: 2000,
  busyAfterMs: 1200,
  failAfterMs: 400,
  noAnswerAfterMs: 8000,
};
