// How a content script calls the service worker: one typed function over protocol/worker-from-content.ts, the answer
// validated there (the worker still validates and sender-checks every request it receives).
import { createCaller } from '../protocol/messenger.js';
import { workerContentProtocol } from '../protocol/worker-from-content.js';

/** Sends one request to the worker; throws NoAnswerError when it does not answer or answers out of protocol. */
export const callWorkerFromContent = createCaller(workerContentProtocol, (message) => chrome.runtime.sendMessage(message));
