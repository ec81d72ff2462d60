import { describe, expect, it, vi } from 'vitest';
import { reportStillHere } from './presence-heartbeat.js';

describe('reportStillHere', () => {
  it('posts to /api/agents/me/seen with the bearer token, and nothing when signed out', async () => {
    const fetcher = vi.fn(async () => new Response(null, { status: 204 })) as unknown as typeof fetch;
    await reportStillHere({ backendUrl: 'http://127.0.0.1:3003', accessToken: 'tok' }, fetcher);
    expect(fetcher).toHaveBeenCalledWith('http://127.0.0.1:3003/api/agents/me/seen', { method: 'POST', headers: { authorization: 'Bearer tok' } });
    await reportStillHere({ backendUrl: 'http://127.0.0.1:3003', accessToken: null }, fetcher);
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('never throws when the backend cannot be reached', async () => {
    const fetcher = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch;
    await expect(reportStillHere({ backendUrl: 'http://127.0.0.1:1', accessToken: 'tok' }, fetcher)).resolves.toBeUndefined();
  });
});
