// One detector's throughput on one core sample, in a fresh node process (bench:detect runs it, alternating detectors):
// node --import tsx bench/detect-core-child.ts ours|theirs dense|prose RUNS — prints the runs as one JSON line.
import { coreSample, CORE_SAMPLES, timeLibphonenumber, timeOurs, type CoreSampleName } from './detect-core.js';

const [detector, name, runs] = process.argv.slice(2) as ['ours' | 'theirs', CoreSampleName, string];
if (!(name in CORE_SAMPLES) || (detector !== 'ours' && detector !== 'theirs')) throw new Error(`usage: detect-core-child.ts ours|theirs ${Object.keys(CORE_SAMPLES).join('|')} RUNS`);
const { text } = coreSample(name);
const result = detector === 'ours' ? timeOurs(text, Number(runs)) : timeLibphonenumber(text.slice(0, CORE_SAMPLES[name].theirBytes), Number(runs));
console.log(JSON.stringify(result));
