// The simulated caller's voicemail: a short generated WAV (16-bit mono PCM, two falling tones), so history can play it.
export function generatedVoicemail(seconds = 2, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const t = i / sampleRate;
    const frequency = t < seconds / 2 ? 660 : 440;
    // A soft fade in and out, so it does not click.
    const envelope = Math.min(1, t * 20, (seconds - t) * 20);
    data.writeInt16LE(Math.round(Math.sin(2 * Math.PI * frequency * t) * 0.3 * envelope * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
