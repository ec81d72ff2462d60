// The reconciler's status source in simulated mode: the simulator plays Twilio's REST API.
import type { TwilioSimulator } from '../sim/twilio-simulator.js';
import type { CallStatusSource } from '../calls/call-reconciler.js';

export function simulatedCallStatusSource(sim: Pick<TwilioSimulator, 'status' | 'end'>): CallStatusSource {
  return {
    fetchCallStatus: (sid) => Promise.resolve({ status: sim.status(sid) }),
    endCall: (sid) => Promise.resolve(sim.end(sid)),
  };
}
