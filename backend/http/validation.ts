// zValidator with the API's error shape: the first problem, as a sentence naming the field.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { errorBody } from './api-error.js';

export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.join('.') || target;
      const message = issue?.message && /[.!?]$/.test(issue.message) ? issue.message : `${field}: ${issue?.message ?? 'is not valid'}.`;
      return c.json(errorBody('invalid-request', message), 400);
    }
  });
}
