import { describe, expect, it } from 'vitest';
import { pickCallFrom } from './call-from.js';

const numbers = ['+14155550100', '+12125550101', '+442071838750'];

describe('Call from', () => {
  it('asks for the chosen number, or none for the organization default', () => {
    expect(pickCallFrom('+13035550100', { number: '+12125550101', localPresence: false, numbers })).toBe('+12125550101');
    expect(pickCallFrom('+13035550100', { number: null, localPresence: false, numbers })).toBeNull();
    expect(pickCallFrom('+13035550100', null)).toBeNull();
  });

  it('with local presence, picks the number in the callee\'s area code, then country, else the chosen one', () => {
    const choice = { number: '+14155550100', localPresence: true, numbers };
    expect(pickCallFrom('+12125550199', choice)).toBe('+12125550101');
    expect(pickCallFrom('+442079460000', choice)).toBe('+442071838750');
    expect(pickCallFrom('+33142685300', choice)).toBe('+14155550100');
  });
});
