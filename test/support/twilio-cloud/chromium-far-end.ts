// The far end of the stand-in's calls over real WebRTC: a plain Chromium page answers the SDK's offer (or, calling the
// team's number, makes the offer the agent's Device answers), sends its fake microphone's tone, and counts what it
// receives. (A page rather than werift: Chromium is already here and speaks the same ICE/DTLS/SRTP as the browser on the
// other side, with no new dependency.)
import type { Browser, Page } from 'playwright-core';
import type { FarEnd } from './twilio-cloud.js';

export interface FarEndStats {
  bytesReceived: number;
  packetsReceived: number;
  /** The received audio's energy so far (squared samples): it stops growing while the agent is muted. */
  heardEnergy: number;
  bytesSent: number;
  /** RTCP receiver reports from the agent about the far end's audio: the agent is receiving it. */
  agentReports: number;
  connectionState: string;
}

interface FarEndWindow {
  __calls: Record<string, RTCPeerConnection>;
  /** Sum of squared samples heard from each call, measured by an AnalyserNode on the received track. */
  __heard: Record<string, number>;
  __peer(callSid: string): Promise<RTCPeerConnection>;
  __gathered(pc: RTCPeerConnection): Promise<void>;
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
        const w = window as unknown as FarEndWindow;
        w.__calls = {};
        w.__heard = {};
        // One call's peer: the fake microphone's tone out, and what it hears measured.
        w.__peer = async (callSid) => {
          const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          const pc = new RTCPeerConnection();
          for (const track of stream.getTracks()) pc.addTrack(track, stream);
          w.__calls[callSid] = pc;
          w.__heard[callSid] = 0;
          pc.addEventListener('track', (event) => {
            const received = new MediaStream([event.track]);
            // Chrome pulls a remote track's audio only while something plays it.
            const element = new Audio();
            element.srcObject = received;
            element.muted = true;
            void element.play().catch(() => undefined);
            const context = new AudioContext();
            const analyser = context.createAnalyser();
            context.createMediaStreamSource(received).connect(analyser);
            const samples = new Float32Array(analyser.fftSize);
            const timer = setInterval(() => {
              if (pc.connectionState === 'closed') return clearInterval(timer);
              analyser.getFloatTimeDomainData(samples);
              let sum = 0;
              for (const v of samples) sum += v * v;
              w.__heard[callSid] = (w.__heard[callSid] ?? 0) + sum;
            }, 20);
          });
          return pc;
        };
        // Twilio's SDPs carry their candidates (no trickle): wait for gathering, a second or two at most on loopback.
        w.__gathered = (pc) =>
          new Promise<void>((resolve) => {
            if (pc.iceGatheringState === 'complete') return resolve();
            const timer = setTimeout(resolve, 2000);
            pc.addEventListener('icegatheringstatechange', () => {
              if (pc.iceGatheringState === 'complete') {
                clearTimeout(timer);
                resolve();
              }
            });
          });
      });
      return p;
    })());

  const farEnd: FarEnd = {
    async answer(callSid, offer) {
      const p = await open();
      return p.evaluate(
        async ({ callSid, offer }) => {
          const w = window as unknown as FarEndWindow;
          const pc = await w.__peer(callSid);
          await pc.setRemoteDescription({ type: 'offer', sdp: offer });
          await pc.setLocalDescription(await pc.createAnswer());
          await w.__gathered(pc);
          return pc.localDescription!.sdp;
        },
        { callSid, offer },
      );
    },
    async offer(callSid) {
      const p = await open();
      return p.evaluate(async (callSid) => {
        const w = window as unknown as FarEndWindow;
        const pc = await w.__peer(callSid);
        await pc.setLocalDescription(await pc.createOffer());
        await w.__gathered(pc);
        return pc.localDescription!.sdp;
      }, callSid);
    },
    async accept(callSid, answer) {
      const p = await open();
      await p.evaluate(
        async ({ callSid, answer }) => {
          await (window as unknown as FarEndWindow).__calls[callSid]?.setRemoteDescription({ type: 'answer', sdp: answer });
        },
        { callSid, answer },
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
        const out = { bytesReceived: 0, packetsReceived: 0, heardEnergy: (window as unknown as FarEndWindow).__heard[sid] ?? 0, bytesSent: 0, agentReports: 0, connectionState: pc?.connectionState ?? 'none' };
        if (!pc) return out;
        (await pc.getStats()).forEach((r: Record<string, unknown>) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') {
            out.bytesReceived += Number(r.bytesReceived ?? 0);
            out.packetsReceived += Number(r.packetsReceived ?? 0);
          }
          if (r.type === 'outbound-rtp' && r.kind === 'audio') out.bytesSent += Number(r.bytesSent ?? 0);
          if (r.type === 'remote-inbound-rtp' && r.kind === 'audio') out.agentReports += Number(r.roundTripTimeMeasurements ?? 1);
        });
        return out;
      }, callSid);
    },
  };
}

export type ChromiumFarEnd = ReturnType<typeof createChromiumFarEnd>;
