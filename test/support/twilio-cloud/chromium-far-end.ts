// The far end of the stand-in's calls over real WebRTC: a plain Chromium page answers the SDK's offer, sends its fake
// microphone's tone, and counts what it receives. (A page rather than werift: Chromium is already here and speaks the same
// ICE/DTLS/SRTP as the browser on the other side, with no new dependency.)
import type { Browser, Page } from 'playwright-core';
import type { FarEnd } from './twilio-cloud.js';

export interface FarEndStats {
  bytesReceived: number;
  packetsReceived: number;
  /** The received audio's energy so far (WebRTC's totalAudioEnergy): it stops growing while the agent is muted. */
  totalAudioEnergy: number;
  bytesSent: number;
  connectionState: string;
}

interface FarEndWindow {
  __calls: Record<string, RTCPeerConnection>;
}

export function createChromiumFarEnd(browser: () => Promise<Browser>, pageUrl: () => string) {
  let page: Promise<Page> | null = null;
  const open = () =>
    (page ??= (async () => {
      const context = await (await browser()).newContext({ ignoreHTTPSErrors: true });
      const p = await context.newPage();
      // A secure context, so getUserMedia (and so real host candidates, not mDNS names) is allowed.
      await p.goto(pageUrl());
      await p.evaluate(() => {
        (window as unknown as FarEndWindow).__calls = {};
      });
      return p;
    })());

  const farEnd: FarEnd = {
    async answer(callSid, offer) {
      const p = await open();
      return p.evaluate(
        async ({ callSid, offer }) => {
          const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          const pc = new RTCPeerConnection();
          for (const track of stream.getTracks()) pc.addTrack(track, stream);
          (window as unknown as FarEndWindow).__calls[callSid] = pc;
          await pc.setRemoteDescription({ type: 'offer', sdp: offer });
          await pc.setLocalDescription(await pc.createAnswer());
          // Twilio's answers carry their candidates (no trickle): wait for gathering, a second at most on loopback.
          await new Promise<void>((resolve) => {
            if (pc.iceGatheringState === 'complete') return resolve();
            const timer = setTimeout(resolve, 2000);
            pc.addEventListener('icegatheringstatechange', () => {
              if (pc.iceGatheringState === 'complete') {
                clearTimeout(timer);
                resolve();
              }
            });
          });
          return pc.localDescription!.sdp;
        },
        { callSid, offer },
      );
    },
    async hangUp(callSid) {
      if (!page) return;
      const p = await page;
      await p.evaluate((sid) => {
        const calls = (window as unknown as FarEndWindow).__calls;
        calls[sid]?.getSenders().forEach((s) => s.track?.stop());
        calls[sid]?.close();
      }, callSid);
    },
  };

  return {
    farEnd,
    /** What the far end has received and sent on this call so far. */
    async stats(callSid: string): Promise<FarEndStats> {
      const p = await open();
      return p.evaluate(async (sid) => {
        const pc = (window as unknown as FarEndWindow).__calls[sid];
        const out = { bytesReceived: 0, packetsReceived: 0, totalAudioEnergy: 0, bytesSent: 0, connectionState: pc?.connectionState ?? 'none' };
        if (!pc) return out;
        (await pc.getStats()).forEach((r: Record<string, unknown>) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') {
            out.bytesReceived += Number(r.bytesReceived ?? 0);
            out.packetsReceived += Number(r.packetsReceived ?? 0);
            out.totalAudioEnergy += Number(r.totalAudioEnergy ?? 0);
          }
          if (r.type === 'outbound-rtp' && r.kind === 'audio') out.bytesSent += Number(r.bytesSent ?? 0);
        });
        return out;
      }, callSid);
    },
  };
}

export type ChromiumFarEnd = ReturnType<typeof createChromiumFarEnd>;
