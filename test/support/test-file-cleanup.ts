// Test helper: work to undo when the current test file's tests are done (a server a helper started on first use), run by
// the one afterAll in test/support/vitest-setup.ts, so that importing a helper registers no hook of its own.
const pending: Array<() => Promise<void>> = [];

/** Runs `cleanup` after the current test file's tests, however many tests used what it undoes. */
export function whenTestFileEnds(cleanup: () => Promise<void>): void {
  pending.push(cleanup);
}

/** Runs, newest first, every cleanup registered in this test file. */
export async function runTestFileCleanups(): Promise<void> {
  const errors: unknown[] = [];
  for (let cleanup = pending.pop(); cleanup; cleanup = pending.pop()) {
    await cleanup().catch((error: unknown) => errors.push(error));
  }
  if (errors.length > 0) throw new AggregateError(errors, 'A test helper could not clean up after this test file.');
}
