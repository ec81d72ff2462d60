// Test and benchmark helper: points a freshly loaded extension at a backend, as an admin's managed setting would.
import type { Worker } from 'playwright-core';

/**
 * Sets the backend URL in the trusted local area (content scripts cannot reach it; one planted in sync is ignored since
 * issue 12), closing that area to content scripts first as the worker itself does.
 */
export async function pointExtensionAtBackend(worker: Worker, backendUrl: string): Promise<void> {
  await worker.evaluate(async (url) => {
    await chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
    await chrome.storage.local.set({ 'c2c:backend': { backendUrl: url } });
  }, backendUrl);
}
