// Notes stay plain text: lines kept, controls and direction overrides gone, bounded.
import { describe, expect, it } from 'vitest';
import { cleanNotes } from './wrap-up-notes.js';

describe('cleanNotes', () => {
  it('keeps lines and drops control and invisible characters', () => {
    expect(cleanNotes('  Called back.\r\nWants a quote\u0007 for 3 seats\u202E.\r\r\r\nBye  ')).toBe('Called back.\nWants a quote  for 3 seats.\n\nBye');
  });

  it('is at most 2000 characters long', () => {
    expect(cleanNotes('x'.repeat(2500))).toHaveLength(2000);
  });

  it('leaves empty notes empty', () => {
    expect(cleanNotes(' \n\t\n ')).toBe('');
  });
});
