// The backend URL and access token for the options page's admin section, from the service worker.
import browser from 'webextension-polyfill';
import { authInfoSchema, type AuthInfo } from '../../shared/extension-messages.js';

export const workerAuth = async (): Promise<AuthInfo> => authInfoSchema.parse(await browser.runtime.sendMessage({ type: 'c2c:sw:get-auth' }));
