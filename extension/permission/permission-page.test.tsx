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

  it('updates itself when the permission changes in Chrome, without a reload', async () => {
    let tell: (s: MicrophoneState) => void = () => undefined;
    const mic: MicrophoneAccess = { query: async () => 'denied', request: vi.fn(async () => 'denied' as const), watch: (l) => ((tell = l), () => undefined) };
    render(<PermissionPage microphone={mic} extensionId="abc" />);
    await screen.findByRole('alert');
    tell('granted');
    expect((await screen.findByRole('status')).textContent).toMatch(/Microphone allowed/);
  });

  it('tells no device and a busy device apart from a blocked microphone, each with its fix', async () => {
    render(<PermissionPage microphone={microphone('prompt', 'no-device')} extensionId="abc" />);
    await userEvent.click(screen.getByRole('button', { name: 'Allow microphone' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/No microphone was found. Plug in a headset/);
    cleanup();
    render(<PermissionPage microphone={microphone('prompt', 'busy')} extensionId="abc" />);
    await userEvent.click(screen.getByRole('button', { name: 'Allow microphone' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/in use by another app/);
  });

  it('opens Chrome’s settings from a button instead of asking to copy an address', async () => {
    const openSettings = vi.fn();
    render(<PermissionPage microphone={{ ...microphone('denied', 'denied'), openSettings }} extensionId="abc" />);
    await userEvent.click(await screen.findByRole('button', { name: /Open Chrome.s settings/ }));
    expect(openSettings).toHaveBeenCalled();
  });
});
