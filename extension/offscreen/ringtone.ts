// The ringtone of an incoming call, played by the offscreen document (it holds the audio) while a call rings here:
// two short tones every two seconds, generated with Web Audio so nothing is fetched. `data-ringing` on the document
// says whether it plays (the browser tests read it).
export interface Ringtone {
  /** Rings while `ringing` is true; stops at once when it becomes false. */
  follow(ringing: boolean): void;
  /** Plays on this output device (null: the system's default); data-speaker says which. */
  setSpeaker(deviceId: string | null): Promise<void>;
}

type SinkableContext = AudioContext & { setSinkId?: (id: string) => Promise<void> };

export function createRingtone(doc: Document): Ringtone {
  let context: SinkableContext | null = null;
  let speaker: string | null = null;
  const applySpeaker = async () => {
    doc.documentElement.dataset.speaker = speaker ?? 'default';
    // '' is the system's default output (AudioContext.setSinkId).
    await context?.setSinkId?.(speaker ?? '').catch(() => {
      doc.documentElement.dataset.speaker = 'default';
    });
  };
  let timer: ReturnType<typeof setInterval> | null = null;

  function burst(): void {
    if (!context) return;
    const start = context.currentTime;
    for (const [offset, frequency] of [[0, 480], [0.4, 440]] as const) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.35);
      osc.connect(gain).connect(context.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.36);
    }
  }

  return {
    async setSpeaker(deviceId) {
      speaker = deviceId;
      await applySpeaker();
    },
    follow(ringing) {
      if (ringing === (timer !== null)) return;
      doc.documentElement.dataset.ringing = String(ringing);
      if (ringing) {
        try {
          if (!context) {
            context = new AudioContext() as SinkableContext;
            void applySpeaker();
          }
          void context.resume().catch(() => undefined);
        } catch {
          context = null;
        }
        burst();
        timer = setInterval(burst, 2000);
      } else {
        if (timer) clearInterval(timer);
        timer = null;
        void context?.suspend().catch(() => undefined);
      }
    },
  };
}
