import type { SpeedState } from '../logic/speed.state';
import { appearanceOf } from '../logic/speed.state';

/** A state shown by colour and by text together. */
export function StateBadge({ state, stale }: { state: SpeedState; stale: boolean }) {
  const look = appearanceOf(state, stale);
  return (
    <span className={`state-badge tone-${look.tone}`} title={look.description} data-state={state} data-stale={stale}>
      <span className="state-dot" aria-hidden="true" />
      {look.label}
    </span>
  );
}
