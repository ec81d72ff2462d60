// How the service worker calls the offscreen softphone: one typed function over protocol/offscreen.ts, the answer validated.
import browser from 'webextension-polyfill';
import { createCaller } from '../protocol/messenger.js';
import { offscreenProtocol, type OffscreenRequest } from '../protocol/offscreen.js';

/** The bare delivery (the dial path builds its own caller over it, so its tests can stand in for the document). */
export const sendToOffscreen = (message: OffscreenRequest): Promise<unknown> => browser.runtime.sendMessage(message);

/** Sends one request to the offscreen document; throws NoAnswerError when it does not answer or answers out of protocol. */
export const callOffscreen = createCaller(offscreenProtocol, sendToOffscreen);
