// How the extension's pages (popup, options, confirm window, offscreen document) call the service worker: one typed
// function over protocol/worker.ts, the answer validated there.
import browser from 'webextension-polyfill';
import type { CommandResult } from '../protocol/extension-messages.js';
import { createCaller, NO_ANSWER_MESSAGE, type PayloadOf } from '../protocol/messenger.js';
import { workerPageProtocol, type WorkerPageProtocol } from '../protocol/worker.js';

/** Sends one request to the worker; throws NoAnswerError when it does not answer or answers out of protocol. */
export const callWorker = createCaller(workerPageProtocol, (message) => browser.runtime.sendMessage(message));

type CommandType = { [K in keyof WorkerPageProtocol]: WorkerPageProtocol[K]['response'] extends typeof workerPageProtocol['c2c:sw:hangup']['response'] ? K : never }[keyof WorkerPageProtocol];

/** A command whose answer is a CommandResult: no answer becomes the one sentence the agent sees. */
export async function commandWorker<K extends CommandType>(type: K, ...payload: object extends PayloadOf<WorkerPageProtocol, K> ? [PayloadOf<WorkerPageProtocol, K>?] : [PayloadOf<WorkerPageProtocol, K>]): Promise<CommandResult> {
  try {
    return (await callWorker(type, ...payload)) as CommandResult;
  } catch {
    return { ok: false, error: NO_ANSWER_MESSAGE, action: null };
  }
}
