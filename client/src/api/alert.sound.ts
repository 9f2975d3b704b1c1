/**
 * Short beeps made with WebAudio (no sound file): a rising triple beep for a crash, a falling double beep
 * for a lost connection. Browsers only start audio after a user gesture, so `unlock` is called on clicks.
 */
let context: AudioContext | null = null;

export type Beep = 'crash' | 'connection-lost';

const PATTERNS: Readonly<Record<Beep, readonly number[]>> = {
  crash: [880, 1175, 1568],
  'connection-lost': [660, 440],
};

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  return context;
}

export function unlockAudio(): void {
  const ctx = audio();
  if (ctx?.state === 'suspended') void ctx.resume();
}

export function playBeep(kind: Beep): void {
  const ctx = audio();
  if (!ctx) return;
  const start = ctx.currentTime + 0.02;
  PATTERNS[kind].forEach((frequency, index) => {
    const at = start + index * 0.22;
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'square';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.18);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.2);
  });
}
