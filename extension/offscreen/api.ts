// How the service worker calls the offscreen softphone: one typed function over protocol/offscreen.ts, the answer validated.
import browser from 'webextension-polyfill';
import { createCaller } from '../protocol/messenger.js';
import { offscreenProtocol } from '../protocol/offscreen.js';

/** Sends one request to the offscreen document; throws NoAnswerError when it does not answer or answers out of protocol. */
export const callOffscreen = createCaller(offscreenProtocol, (message) => browser.runtime.sendMessage(message));
