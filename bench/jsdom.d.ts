// The small part of jsdom's API the detection bench uses (the project has no @types/jsdom).
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string, options?: { runScripts?: 'dangerously' | 'outside-only'; pretendToBeVisual?: boolean; url?: string });
    readonly window: Window & typeof globalThis;
  }
}
