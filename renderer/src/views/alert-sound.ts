// A repeating two-tone beep made with Web Audio (no audio file to ship or fail to load).
// Browsers start an AudioContext suspended until the user has interacted with the page; signing in
// is such an interaction, so by the time an alert can exist the context can resume.
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  return context;
}

function beep(at: number, frequency: number, audioContext: AudioContext) {
  const oscillator = audioContext.createOscillator();
  const gain = audioContext.createGain();
  oscillator.frequency.value = frequency;
  oscillator.type = 'sine';
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
  oscillator.connect(gain).connect(audioContext.destination);
  oscillator.start(at);
  oscillator.stop(at + 0.3);
}

/** Starts beeping every `everyMs` until the returned function is called. */
export function startAlertSound(everyMs = 2500): () => void {
  const audioContext = audio();
  if (!audioContext) return () => undefined;
  const play = () => {
    void audioContext.resume().then(() => {
      const now = audioContext.currentTime;
      beep(now, 880, audioContext);
      beep(now + 0.3, 660, audioContext);
      // Exposed on the page so an end-to-end test can see the sound start and stop.
      const root = document.documentElement.dataset;
      root.alertSoundPlays = String(Number(root.alertSoundPlays ?? '0') + 1);
    });
  };
  document.documentElement.dataset.alertSound = 'on';
  play();
  const timer = setInterval(play, everyMs);
  return () => {
    clearInterval(timer);
    delete document.documentElement.dataset.alertSound;
  };
}
