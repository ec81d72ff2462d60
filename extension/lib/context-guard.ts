// Stops a module from running in the wrong extension context (a service-worker module loaded by a page, say).
export type ExtensionContext = 'service-worker' | 'offscreen' | 'extension-page';

function currentContext(): ExtensionContext | 'unknown' {
  const scope = globalThis as { ServiceWorkerGlobalScope?: new () => unknown; location?: Location };
  if (typeof scope.ServiceWorkerGlobalScope === 'function' && globalThis instanceof scope.ServiceWorkerGlobalScope) return 'service-worker';
  const location = scope.location;
  if (location?.protocol === 'chrome-extension:') {
    return location.pathname.includes('/offscreen/') ? 'offscreen' : 'extension-page';
  }
  return 'unknown';
}

/** Throws when loaded anywhere but the expected context. */
export function assertContext(expected: ExtensionContext, moduleName: string): void {
  const actual = currentContext();
  if (actual !== expected) {
    throw new Error(`${moduleName} must run in the ${expected} context, but it was loaded in the ${actual} context.`);
  }
}
