// zValidator with the API's error shape: a JSON body must be sent as JSON, and the first problem is one sentence naming the field.
import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { every } from 'hono/combine';
import type { z, ZodType } from 'zod';
import { ApiError, errorBody } from './api-error.js';

type Issue = z.core.$ZodIssue;

/** The first validation problem as a sentence a person can act on. */
function issueSentence(issue: Issue | undefined, target: string): string {
  if (!issue) return `The request ${target} is not valid.`;
  if (/[.!?]$/.test(issue.message) && /^[A-Z]/.test(issue.message)) return issue.message;
  const field = issue.path.map(String).join('.');
  if (!field) return target === 'json' ? 'The request body must be a JSON object.' : `The request ${target} is not valid.`;
  const name = JSON.stringify(field.slice(0, 50));
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `The field ${name} is missing.`;
  const detail = issue.message.replace(/^Invalid input: /, '').replace(/[.!?]+$/, '');
  return `The field ${name} is not valid: ${detail.charAt(0).toLowerCase()}${detail.slice(1)}.`;
}

/** JSON routes refuse other content types (a form or text/plain must not be read as an empty object). */
const requireJsonBody: MiddlewareHandler = async (c, next) => {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(415, 'unsupported-media-type', 'Send this request as JSON, with Content-Type: application/json.');
  }
  await next();
};

export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  const validator = zValidator(target, schema, (result, c) => {
    if (!result.success) return c.json(errorBody('invalid-request', issueSentence(result.error.issues[0], target)), 400);
  });
  return target === 'json' ? (every(requireJsonBody, validator) as unknown as typeof validator) : validator;
}
