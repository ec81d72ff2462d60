import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../../test/support/backend/test-backend.js';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());

describe('GET /', () => {
  it('answers a person with a small page saying what this server is and linking the demo page', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('Click-to-call backend');
    expect(html).toContain('href="/demo"');
    // Other unknown paths still get the JSON 404.
    expect((await t.app.request('/nope')).status).toBe(404);
  });
});
