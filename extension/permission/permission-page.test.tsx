// @vitest-environment jsdom
// The permission page asks for the microphone from a click and explains how to unblock a denial.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PermissionPage, type MicrophoneAccess, type MicrophoneState } from './permission-page.js';

function microphone(current: MicrophoneState, outcome: MicrophoneState): MicrophoneAccess {
  return { query: async () => current, request: vi.fn(async () => outcome) };
}

afterEach(cleanup);

describe('permission page', () => {
  it('asks only when the button is clicked, then confirms', async () => {
    const mic = microphone('prompt', 'granted');
    render(<PermissionPage microphone={mic} extensionId="abc" />);
    expect(mic.request).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Allow microphone' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/Microphone allowed/);
  });

  it("explains how to unblock the microphone in Chrome's settings when it was denied", async () => {
    render(<PermissionPage microphone={microphone('denied', 'denied')} extensionId="abc" />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('chrome://settings/content/siteDetails?site=chrome-extension://abc');
    expect(alert.textContent).toContain('Set Microphone to Allow.');
  });
});
