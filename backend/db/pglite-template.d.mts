// Types of pglite-template.mjs (plain JavaScript so the worker thread loads it the same way under tsx, vitest and node).
import type { PGlite } from '@electric-sql/pglite';

export function templatePath(): string;
export function openPGlite(dataDir: string | null, templateFile?: string): Promise<PGlite>;
export function prepareTemplate(): Promise<boolean>;
