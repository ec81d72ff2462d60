// The JSON Schema in docs/connect-your-crm.md is the one generated from the payload's zod schemas, and it describes the example.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, withCurrentSchema } from './payload-schema-doc.js';
import { webhookPayloadSchema } from './webhook-payload.js';

describe('docs/connect-your-crm.md', () => {
  it('shows the payload schema generated from the zod schemas (run npm run docs:webhooks after changing them)', async () => {
    const doc = await readFile(DOC_PATH, 'utf8');
    expect(withCurrentSchema(doc) === doc, 'The payload schema in docs/connect-your-crm.md is out of date: run npm run docs:webhooks.').toBe(true);
  });

  it('has an example payload that the schema accepts', async () => {
    const doc = await readFile(DOC_PATH, 'utf8');
    const example = /<!-- example-payload -->\s*```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    expect(webhookPayloadSchema.safeParse(JSON.parse(example!)).success).toBe(true);
  });
});
