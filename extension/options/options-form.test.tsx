// @vitest-environment jsdom
// The options page: loads what is stored, checks what the agent typed, asks before reaching a remote backend, saves.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKEND_STORAGE_KEY, OPTIONS_STORAGE_KEY, type ExtensionOptions } from '../lib/options.js';
import { fixBackendUrl, OptionsForm, validateDraft } from './options-form.js';
import { createOptionsStore } from './options-storage.js';

function memoryStore(initial: unknown, grant = true) {
  const data: Record<string, unknown> = { [OPTIONS_STORAGE_KEY]: initial };
  const requestOrigin = vi.fn(async () => grant);
  const store = createOptionsStore(
    {
      get: async (key) => ({ [key]: data[key] }),
      set: async (items) => void Object.assign(data, items),
    },
    requestOrigin,
  );
  return {
    store,
    requestOrigin,
    data,
    saved: () => ({ ...(data[BACKEND_STORAGE_KEY] as object), ...(data[OPTIONS_STORAGE_KEY] as object) }) as ExtensionOptions,
  };
}

afterEach(cleanup);

describe('options page', () => {
  it('shows the defaults when nothing is stored', async () => {
    render(<OptionsForm store={memoryStore(undefined).store} />);
    expect(await screen.findByLabelText('Backend URL')).toHaveProperty('value', 'http://127.0.0.1:3003');
    expect(screen.getByLabelText('Default country')).toHaveProperty('value', 'US');
    expect(screen.getByLabelText('Call tel: links with Click-to-call')).toHaveProperty('checked', true);
    // The screen pop is the agent's choice, off until they turn it on.
    expect(screen.getByLabelText('When I answer a caller the team called from a page before, open that page')).toHaveProperty('checked', false);
  });

  it('saves every option', async () => {
    const m = memoryStore(undefined);
    render(<OptionsForm store={m.store} />);
    const country = await screen.findByLabelText('Default country');
    await userEvent.selectOptions(country, 'GB');
    await userEvent.type(screen.getByLabelText('Sites where detection is off'), 'Mail.Example.com\nintranet.local');
    await userEvent.click(screen.getByLabelText('Call tel: links with Click-to-call'));
    await userEvent.click(screen.getByLabelText('When I answer a caller the team called from a page before, open that page'));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('status')).textContent).toBe('Options saved.');
    expect(m.saved()).toEqual({ backendUrl: 'http://127.0.0.1:3003', defaultCountry: 'GB', disabledSites: ['mail.example.com', 'intranet.local'], takeOverTelLinks: false, openCallerPageOnAnswer: true });
    expect(m.requestOrigin).not.toHaveBeenCalled();
  });

  it('keeps the backend URL apart from the options content scripts can reach, and ignores one planted among them', async () => {
    const m = memoryStore({ backendUrl: 'https://attacker.example', defaultCountry: 'US' });
    render(<OptionsForm store={m.store} />);
    expect(await screen.findByLabelText('Backend URL')).toHaveProperty('value', 'http://127.0.0.1:3003');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('status');
    expect(m.data[OPTIONS_STORAGE_KEY]).not.toHaveProperty('backendUrl');
    expect(m.data[BACKEND_STORAGE_KEY]).toEqual({ backendUrl: 'http://127.0.0.1:3003' });
  });

  it('refuses a plain-http backend on another machine: the bearer token would cross the network in clear', async () => {
    const m = memoryStore(undefined);
    render(<OptionsForm store={m.store} />);
    const url = await screen.findByLabelText('Backend URL');
    await userEvent.clear(url);
    await userEvent.type(url, 'http://calls.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/https:\/\//);
    expect(m.data[BACKEND_STORAGE_KEY]).toBeUndefined();
    expect(m.requestOrigin).not.toHaveBeenCalled();
  });

  it('refuses a malformed backend URL or country with a sentence and saves nothing', async () => {
    const m = memoryStore({ backendUrl: 'http://127.0.0.1:3003' });
    render(<OptionsForm store={m.store} />);
    const url = await screen.findByLabelText('Backend URL');
    await userEvent.clear(url);
    await userEvent.type(url, 'not a url');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Enter the backend address as a full URL, such as http://127.0.0.1:3003.');
    expect(m.saved()).toEqual({ backendUrl: 'http://127.0.0.1:3003' });
    expect(validateDraft({ backendUrl: 'http://127.0.0.1:4000', defaultCountry: 'U1', disabledSites: '', takeOverTelLinks: true, openCallerPageOnAnswer: false })).toMatchObject({ ok: false, error: expect.stringMatching(/two-letter code/) });
  });

  it('asks for access before using a backend on another machine', async () => {
    const m = memoryStore(undefined, false);
    render(<OptionsForm store={m.store} />);
    const url = await screen.findByLabelText('Backend URL');
    await userEvent.clear(url);
    await userEvent.type(url, 'https://calls.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(m.requestOrigin).toHaveBeenCalledWith('https://calls.example.com/*');
    expect((await screen.findByRole('alert')).textContent).toMatch(/needs your permission to reach https:\/\/calls\.example\.com/);
    expect(m.data[BACKEND_STORAGE_KEY]).toBeUndefined();
  });

  it('fixes an address typed without http://: this machine gets http, another gets https', async () => {
    expect(fixBackendUrl('127.0.0.1:3003')).toBe('http://127.0.0.1:3003');
    expect(fixBackendUrl(' localhost:3003/ ')).toBe('http://localhost:3003/');
    expect(fixBackendUrl('calls.example.com')).toBe('https://calls.example.com');
    expect(fixBackendUrl('http://calls.example.com')).toBe('http://calls.example.com');
    const m = memoryStore(undefined);
    render(<OptionsForm store={m.store} />);
    const url = await screen.findByLabelText('Backend URL');
    await userEvent.clear(url);
    await userEvent.type(url, '127.0.0.1:4000');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('status');
    expect(m.saved()).toMatchObject({ backendUrl: 'http://127.0.0.1:4000' });
    expect(url).toHaveProperty('value', 'http://127.0.0.1:4000');
  });

  it('tests the connection: says what answered, or that nothing did', async () => {
    const fetcher = vi.fn(async (input: string | URL | Request) =>
      String(input).startsWith('http://127.0.0.1:3003')
        ? new Response(JSON.stringify({ ok: true, mode: { telephony: 'simulated', database: 'embedded' } }), { status: 200 })
        : Promise.reject(new TypeError('Failed to fetch')),
    ) as unknown as typeof fetch;
    render(<OptionsForm store={memoryStore(undefined).store} fetcher={fetcher} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Test connection' }));
    expect((await screen.findByRole('status')).textContent).toBe('Connected to http://127.0.0.1:3003: simulated Twilio, embedded database.');
    const url = screen.getByLabelText('Backend URL');
    await userEvent.clear(url);
    await userEvent.type(url, '127.0.0.1:3999');
    await userEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/http:\/\/127\.0\.0\.1:3999 could not be reached/);
  });

  it('lists the keyboard shortcut and the context-menu item', async () => {
    render(<OptionsForm store={memoryStore(undefined).store} />);
    await screen.findByLabelText('Backend URL');
    expect(document.body.textContent).toContain('Alt+Shift+C');
    expect(document.body.textContent).toContain('Call <selection>');
  });
});
