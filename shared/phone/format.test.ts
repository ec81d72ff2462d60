// Numbers are shown the way the agent's country writes them, and every other number in international form.
import { describe, expect, it } from 'vitest';
import { formatForPeople } from './format.js';

describe('formatForPeople', () => {
  it('writes a number of the agent’s country in national form', () => {
    expect(formatForPeople('+14155550132', 'US')).toBe('(415) 555-0132');
  });
  it('writes a number of another country in international form', () => {
    expect(formatForPeople('+442079460100', 'US')).toBe('+44 20 7946 0100');
    expect(formatForPeople('+14155550132', 'GB')).toBe('+1 415 555 0132');
  });
  it('gives back what it cannot read', () => {
    expect(formatForPeople('not a number')).toBe('not a number');
  });
});
