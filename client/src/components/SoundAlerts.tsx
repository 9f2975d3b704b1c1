import { useEffect, useRef, useState } from 'react';
import { type Beep, playBeep, unlockAudio } from '../api/alert.sound';
import { readStored, writeStored } from '../api/browser.storage';
import { useDashboard, useServices } from '../store/dashboard.context';

const SOUND_KEY = 'aoc.dashboard.sound';

/**
 * The sound switch in the top bar (off until a dispatcher turns it on; remembered in this browser) and the
 * beeps it allows: one for each new crash, one when the live connection is lost.
 */
export function SoundAlerts() {
  const [on, setOn] = useState(() => readStored('local', SOUND_KEY) === 'on');
  const [beeps, setBeeps] = useState(0);
  const alerts = useDashboard((state) => state.alerts);
  const status = useDashboard((state) => state.connection.status);
  const { store } = useServices();
  const heard = useRef(new Set<string>());
  // By this computer's clock: the server's offset may not be known yet when the page opens.
  const openedAtLocal = useRef(Date.now());
  const lastStatus = useRef(status);

  useEffect(() => {
    const unlock = () => unlockAudio();
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, []);

  const beep = (kind: Beep) => {
    if (!on) return;
    playBeep(kind);
    setBeeps((count) => count + 1);
  };

  useEffect(() => {
    // Crashes from before the page was opened were raised then: only crashes since then beep, each once. Crash
    // times are the server's, so the opening time is read with the server-corrected clock as it is known now.
    const openedAt = openedAtLocal.current + (store.now() - Date.now());
    const fresh = alerts.filter((crash) => Date.parse(crash.recordedAt) >= openedAt && !heard.current.has(crash.id));
    for (const crash of fresh) heard.current.add(crash.id);
    if (fresh.length > 0) beep('crash');
  });

  useEffect(() => {
    const was = lastStatus.current;
    lastStatus.current = status;
    if (was === 'connected' && status === 'reconnecting') beep('connection-lost');
  });

  return (
    <button
      type="button"
      className="sound-toggle"
      aria-pressed={on}
      data-beeps={beeps}
      title="Beep for new crashes and a lost connection (remembered in this browser)"
      onClick={() => {
        const next = !on;
        setOn(next);
        writeStored('local', SOUND_KEY, next ? 'on' : 'off');
        if (next) {
          unlockAudio();
          playBeep('crash');
        }
      }}
    >
      Sound {on ? 'on' : 'off'}
    </button>
  );
}
