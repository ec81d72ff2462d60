// Runs in every test file before its tests: the one hook that undoes what test helpers started on first use.
import { afterAll } from 'vitest';
import { runTestFileCleanups } from './test-file-cleanup.js';

afterAll(runTestFileCleanups);
