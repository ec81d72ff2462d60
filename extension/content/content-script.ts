// Wires the content script together: options, per-site switch, scanner, highlights, Call chip, tel: take-over, messages.
import type { CountryCode } from 'libphonenumber-js/max';
import { callBarUpdateSchema, callBarViewSchema, listNumbersRequestSchema, numberPolicyWireSchema, policyFromWire, type CallBarUpdate, type ClickRefused, type DialRequest, type ListedNumber } from '../protocol/messages.js';
import type { CallBarRequest } from '../protocol/worker-from-content.js';
import { callWorkerFromContent } from './api.js';
import { createCallBar } from './call-bar.js';
import { OPTIONS_STORAGE_KEY, isSiteDisabled, parseExtensionOptions, type ExtensionOptions } from '../lib/options.js';
import { formatForPeople } from '../../shared/phone/format.js';
import { checkDestination, notCallableSentence, type DestinationPolicy } from '../../shared/phone/destination-policy.js';
import { toE164 } from '../../shared/phone/normalize.js';
import { refuseActivation } from './click-guard.js';
import { buildDialRequest } from './dial-request.js';
import { createHighlighter } from './highlight.js';
import { createOverlay } from './overlay.js';
import { PageScanner } from './page-scanner.js';
import { listForPopup } from './page-list.js';
import { PointerTracker } from './pointer.js';
import type { OfferedNumber } from './registry.js';
import { MAX_PAGE_EXTENSION_DIGITS, shouldTakeOverClick, telHrefToNumber, telLinkInPath, telLinkMisleads, unparseableTelSentence } from './tel-links.js';
import { numberInvisibility, overlayInvisibility } from './visibility.js';

declare const __C2C_TIMING_MARKS__: boolean | undefined;
/** Timing marks are visible to the page: only builds for benchmarks make them (C2C_TIMING_MARKS=1, vite.config.ts). */
const TIMING_MARKS = typeof __C2C_TIMING_MARKS__ !== 'undefined' && __C2C_TIMING_MARKS__;

/** Name of the performance mark made each time later (mutation-driven) work is done (detail: timing figures). */
const UPDATE_MARK = 'c2c:update';
/** Name of the performance mark made when the first full scan of the frame is done (detail: timing figures). */
const FIRST_SCAN_MARK = 'c2c:first-scan';

export interface ContentScriptEnv {
  doc: Document;
  loadOptions(): Promise<unknown>;
  onOptionsChanged(listener: (stored: unknown) => void): void;
  sendDial(request: DialRequest): void;
  /** Tells the agent, outside the page, why a click on the chip placed no call. */
  sendRefusal?(refusal: ClickRefused): void;
  /** The call bar's requests to the service worker; the answer to c2c:call-bar-state is the bar's view. */
  sendBar?(request: CallBarRequest): Promise<unknown>;
  /** Updates the service worker pushes to the bar. */
  onCallBar?(handler: (update: CallBarUpdate) => void): void;
  onListNumbers(handler: () => ListedNumber[]): void;
  /** The organization's destination policy, asked of the service worker (which reads it from the backend). */
  loadNumberPolicy?(): Promise<unknown>;
  shadowRootOf?(el: Element): ShadowRoot | null;
  /** The manifest injects highlight.css into the document, so only shadow roots need our adopted sheet. */
  documentStyledByManifest?: boolean;
}

export interface ContentScript {
  list(): ListedNumber[];
  scanner(): PageScanner | null;
  options(): ExtensionOptions;
  /** Whether the first full scan of the frame is over (for tests and benchmarks). */
  firstScanDone(): boolean;
}

export function startContentScript(env: ContentScriptEnv): ContentScript {
  const { doc } = env;
  const win = doc.defaultView as Window & typeof globalThis;
  let options = parseExtensionOptions(undefined);
  let scanner: PageScanner | null = null;
  let detachPointer: (() => void) | null = null;
  const highlighter = createHighlighter(win, { documentStyledByManifest: env.documentStyledByManifest });
  const own = new Set<Node>();
  let pointer: PointerTracker | null = null;
  let firstScanDone = false;

  /** The destinations the organization may call, from the worker; until it answers, every number is offered. */
  let policy: DestinationPolicy | null = null;
  const verdicts = new Map<string, string | null>();

  /** Why the organization may not call this number (the sentence its chip shows), or null. */
  function notCallable(n: Pick<OfferedNumber, 'e164'>): string | null {
    if (!policy) return null;
    const known = verdicts.get(n.e164);
    if (known !== undefined) return known;
    const parsed = toE164(n.e164);
    const why = parsed.ok ? notCallableSentence(checkDestination(parsed, policy)) : null;
    if (verdicts.size > 5000) verdicts.clear();
    verdicts.set(n.e164, why);
    return why;
  }

  function loadPolicy(): void {
    env.loadNumberPolicy?.().then(
      (answer) => {
        const wire = numberPolicyWireSchema.safeParse(answer);
        if (!wire.success) return;
        policy = policyFromWire(wire.data);
        verdicts.clear();
        scanner?.repaint();
      },
      () => undefined,
    );
  }

  /**
   * Where the other offered numbers of this frame are on screen, and the frames on it (their numbers are not this
   * frame's to measure): the call bar keeps off them and their chips.
   */
  function numbersOnScreen(except: readonly Node[]): DOMRect[] {
    const out: DOMRect[] = [];
    const onScreen = (r: DOMRect) => r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < win.innerHeight && r.left < win.innerWidth;
    for (const frame of doc.querySelectorAll('iframe, frame')) {
      const r = frame.getBoundingClientRect();
      if (onScreen(r)) out.push(r);
    }
    if (!scanner) return out;
    for (const n of scanner.registry.values()) {
      if (n.nodes.some((node) => except.includes(node)) || !n.nodes.every((node) => node.isConnected)) continue;
      const r = n.range.getBoundingClientRect();
      if (onScreen(r)) out.push(r);
      // Enough to place one bar: a screen holds far fewer numbers than a long table.
      if (out.length >= 300) break;
    }
    return out;
  }

  /** The bar keeps off the number the agent clicked (in this frame: another frame's number is not ours to measure). */
  let avoidNumber: ((nodes: readonly Node[]) => void) | null = null;

  function dial(n: Pick<OfferedNumber, 'e164' | 'text' | 'extension' | 'nodes'>): void {
    const request = buildDialRequest(n);
    if (!request) return;
    avoidNumber?.(n.nodes);
    env.sendDial(request);
  }

  /** Why a number is not offered: hidden from people, or a tel: link that dials something other than it shows. */
  function refuseOffer(n: OfferedNumber, onScreen: boolean): string | null {
    if (n.extension !== undefined && !(/^\d+$/.test(n.extension) && n.extension.length <= MAX_PAGE_EXTENSION_DIGITS)) return 'The number has an extension too long to be one.';
    if (n.source === 'tel') {
      const misleads = telLinkMisleads(n.nodes[0]?.textContent ?? '', n, options.defaultCountry as CountryCode);
      if (misleads) return misleads;
    }
    return numberInvisibility(n, win, onScreen);
  }

  const label = (n: OfferedNumber) => ({
    text: formatForPeople(n.e164, options.defaultCountry),
    ...(n.extension !== undefined ? { extension: n.extension } : {}),
  });

  function refuse(reason: string): void {
    overlay.watch().refusedAt = win.performance.now();
    overlay.say(reason);
    env.sendRefusal?.({ type: 'c2c:click-refused', reason });
  }

  const overlay = createOverlay(
    doc,
    (event) => {
      // A click the page made (element.click(), dispatchEvent) never places a call.
      if (!event.isTrusted) return;
      const n = pointer?.current;
      if (!n) return;
      // A destination the organization refuses: the chip already says why, and nothing is dialled.
      const refused = notCallable(n);
      if (refused) {
        overlay.say(refused);
        return;
      }
      // detail is 0 for a click made by Enter or Space on the focused chip, the click count for a pointer's.
      const activation = event.detail === 0 ? ({ kind: 'keyboard' } as const) : ({ kind: 'pointer' } as const);
      const why =
        refuseActivation(overlay.watch(), activation, win.performance.now()) ??
        (overlay.host ? overlayInvisibility(overlay.host, win) : 'The Call button is gone.') ??
        (activation.kind === 'pointer' && !overlay.isAt(event.clientX, event.clientY) ? 'Something of the page covers the Call button, so nothing was dialled.' : null) ??
        refuseOffer(n, true);
      if (why) {
        refuse(why);
        return;
      }
      dial(n);
      pointer?.hide();
    },
    () => pointer?.scheduleHide(),
  );

  // The call bar lives in the top document only (a frame's bar would be clipped to the frame), in every site.
  if (env.sendBar && win === win.top) {
    const send = env.sendBar;
    const { bar, styles } = createCallBar(doc, {
      hangup: () => void send({ type: 'c2c:bar:hangup' }).catch(() => undefined),
      setMuted: (muted) => void send({ type: 'c2c:bar:mute', muted }).catch(() => undefined),
      // A key reaches the call only while the page has not hidden, dimmed or distorted the bar (as for the chip), so a
      // page cannot make the agent press keys on a bar they cannot see.
      sendDigit: (digit) => {
        if (overlay.host && overlayInvisibility(overlay.host, win) === null) void send({ type: 'c2c:bar:digit', digit }).catch(() => undefined);
      },
      answer: (callSid) => void send({ type: 'c2c:bar:answer', callSid }).catch(() => undefined),
      decline: (callSid) => void send({ type: 'c2c:bar:decline', callSid }).catch(() => undefined),
      saveWrapUp: (fields) => void send({ type: 'c2c:bar:wrap-up', fields }).catch(() => undefined),
      skipWrapUp: () => void send({ type: 'c2c:bar:wrap-up-skip' }).catch(() => undefined),
    });
    avoidNumber = (nodes) => {
      const first = nodes[0];
      const last = nodes.at(-1);
      if (!first || !last) return;
      bar.avoid(
        () => {
          if (!first.isConnected || !last.isConnected) return null;
          const range = doc.createRange();
          range.setStartBefore(first);
          range.setEndAfter(last);
          return range.getBoundingClientRect();
        },
        () => numbersOnScreen(nodes),
      );
    };
    const refresh = () => {
      if (doc.visibilityState !== 'visible') return;
      send({ type: 'c2c:call-bar-state' }).then(
        (answer) => {
          const view = callBarViewSchema.nullable().safeParse(answer);
          if (view.success && (view.data || bar.element.isConnected)) {
            if (view.data) overlay.mount(bar.element, styles);
            bar.render(view.data);
          }
        },
        () => undefined,
      );
    };
    env.onCallBar?.((update) => {
      if (update.type === 'c2c:call-bar') {
        if (update.view) overlay.mount(bar.element, styles);
        bar.render(update.view);
      } else {
        overlay.mount(bar.element, styles);
        bar.notice(update.text);
      }
    });
    // The bar follows the agent: a tab shown again asks for the call's state, a hidden one stops drawing it.
    doc.addEventListener('visibilitychange', () => {
      if (doc.visibilityState === 'visible') refresh();
      else bar.render(null);
    });
    refresh();
  }

  /**
   * A person's click on a tel: link shows its chip instead of dialling at once: the chip shows the number the link
   * dials, which the link's own text may not, and a call needs a click on what was seen.
   */
  function onClick(event: MouseEvent): void {
    if (!scanner || !pointer) return;
    const link = telLinkInPath(event);
    if (!link || !shouldTakeOverClick(event, options.takeOverTelLinks)) return;
    const number = telHrefToNumber(link.getAttribute('href') ?? '', options.defaultCountry as CountryCode);
    if (!number) {
      // Not handed to the computer's dialler without a word: the agent sees why this link cannot be called from here.
      event.preventDefault();
      pointer.explain(link, unparseableTelSentence(link.getAttribute('href') ?? ''));
      return;
    }
    const offered = scanner.registry.numbersAt(link).find((n) => n.source === 'tel') ?? { text: '', range: doc.createRange(), nodes: [link], source: 'tel' as const, root: doc, ...number };
    event.preventDefault();
    const why = refuseOffer(offered, true);
    // A misleading or hidden link dials nothing, and the agent is told why outside the page.
    if (why) env.sendRefusal?.({ type: 'c2c:click-refused', reason: `This link was not called. ${why}` });
    else pointer.show(offered);
  }

  /** The tab's top-level site: a frame (srcdoc and sandboxed ones too) is switched off with the page that holds it. */
  function topHostname(): string {
    const ancestors = win.location.ancestorOrigins;
    const top = ancestors && ancestors.length > 0 ? ancestors[ancestors.length - 1] : undefined;
    if (top) {
      try {
        return new URL(top).hostname;
      } catch {
        return '';
      }
    }
    return win.location.hostname;
  }

  function start(): void {
    if (scanner) return;
    if (isSiteDisabled(topHostname(), options.disabledSites)) return;
    const s = new PageScanner(doc, {
      defaultCountry: options.defaultCountry as CountryCode,
      notCallable: (n) => notCallable(n) !== null,
      highlighter,
      shadowRootOf: env.shadowRootOf,
      ownNodes: () => {
        if (overlay.host) own.add(overlay.host);
        return own;
      },
      onDrained: (stats) => {
        if (!TIMING_MARKS) return;
        try {
          win.performance.mark(UPDATE_MARK, { detail: stats });
        } catch {
          // Only for benchmarks.
        }
      },
      onFirstScan: (stats) => {
        firstScanDone = true;
        if (!TIMING_MARKS) return;
        try {
          win.performance.mark(FIRST_SCAN_MARK, { detail: stats });
        } catch {
          // performance.mark with detail is missing in old engines; the timing is only for benchmarks.
        }
      },
    });
    scanner = s;
    pointer = new PointerTracker({
      doc,
      registry: s.registry,
      overlay,
      highlighter,
      shadowRoots: () => s.knownShadowRoots(),
      refuseOffer: (n) => refuseOffer(n, true),
      label,
      notCallable,
    });
    detachPointer = pointer.attach();
    win.addEventListener('click', onClick, { capture: true });
    s.start();
  }

  function stop(): void {
    pointer?.hide();
    detachPointer?.();
    detachPointer = null;
    win.removeEventListener('click', onClick, { capture: true });
    scanner?.stop();
    scanner = null;
    highlighter.clear();
  }

  /** The numbers a person could call from this frame: hidden and misleading ones are left out (off-screen ones stay in). */
  const list = () => (scanner ? listForPopup(scanner.registry, (n) => refuseOffer(n, false) === null) : []);
  env.onListNumbers(list);
  env.onOptionsChanged((stored) => {
    const next = parseExtensionOptions(stored);
    const restart = next.defaultCountry !== options.defaultCountry || next.disabledSites.join() !== options.disabledSites.join();
    options = next;
    // Another backend may have another policy.
    loadPolicy();
    if (restart) {
      stop();
      start();
    }
  });
  loadPolicy();
  void env.loadOptions().then(
    (stored) => {
      options = parseExtensionOptions(stored);
      start();
    },
    () => start(),
  );

  return { list, scanner: () => scanner, options: () => options, firstScanDone: () => firstScanDone };
}

/** The environment of a real extension content script. */
export function chromeEnv(doc: Document): ContentScriptEnv {
  return {
    doc,
    documentStyledByManifest: true,
    loadOptions: async () => (await chrome.storage.sync.get(OPTIONS_STORAGE_KEY))[OPTIONS_STORAGE_KEY],
    onOptionsChanged(listener) {
      chrome.storage.onChanged.addListener((changes, area) => {
        const change = changes[OPTIONS_STORAGE_KEY];
        if (area === 'sync' && change) listener(change.newValue);
      });
    },
    sendDial(request) {
      const { type, ...payload } = request;
      callWorkerFromContent(type, payload).catch(() => {
        // The service worker reports call failures itself; nothing to show in the page.
      });
    },
    sendRefusal(refusal) {
      callWorkerFromContent(refusal.type, { reason: refusal.reason }).catch(() => undefined);
    },
    loadNumberPolicy: () => callWorkerFromContent('c2c:number-policy'),
    sendBar: (request) => chrome.runtime.sendMessage(request),
    onCallBar(handler) {
      chrome.runtime.onMessage.addListener((message: unknown, sender) => {
        // Only the service worker pushes bar updates (tabs.sendMessage from it has no tab and no frame).
        if (sender.id !== chrome.runtime.id || sender.tab) return undefined;
        const parsed = callBarUpdateSchema.safeParse(message);
        if (parsed.success) handler(parsed.data);
        return undefined;
      });
    },
    onListNumbers(handler) {
      chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
        // Only the extension's own pages talk to us; pages cannot reach runtime.onMessage.
        if (sender.id !== chrome.runtime.id) return undefined;
        if (!listNumbersRequestSchema.safeParse(message).success) return undefined;
        sendResponse(handler());
        return undefined;
      });
    },
    shadowRootOf(el) {
      const api = chrome.dom as { openOrClosedShadowRoot?: (e: HTMLElement) => ShadowRoot | null } | undefined;
      if (!api?.openOrClosedShadowRoot || !CAN_HOST_SHADOW.has(el.tagName) && !el.tagName.includes('-')) return null;
      try {
        return api.openOrClosedShadowRoot(el as HTMLElement) ?? null;
      } catch {
        return null;
      }
    },
  };
}

/** Elements attachShadow() accepts besides custom elements: only these can hide a closed shadow root. */
const CAN_HOST_SHADOW = new Set(['ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'DIV', 'FOOTER', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'MAIN', 'NAV', 'P', 'SECTION', 'SPAN']);
