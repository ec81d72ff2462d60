// The backend URL and access token for the options page's admin section, from the service worker.
import type { AuthInfo } from '../protocol/extension-messages.js';
import { callWorker } from '../background/api.js';

export const workerAuth = async (): Promise<AuthInfo> => callWorker('c2c:sw:get-auth');
