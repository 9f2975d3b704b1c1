import { formatTime } from '../logic/time.format';
import type { Snapshot } from '../store/dashboard.state';

/** The selected ambulance's latest camera images, newest first. */
export function SnapshotGallery({ snapshots, loaded }: { snapshots: readonly Snapshot[]; loaded: boolean }) {
  const newestFirst = [...snapshots].reverse();
  return (
    <section className="snapshots" aria-labelledby="snapshots-title" data-snapshot-count={snapshots.length}>
      <h3 id="snapshots-title">Camera snapshots</h3>
      {!loaded && snapshots.length === 0 ? <p className="muted">Loading…</p> : null}
      {loaded && snapshots.length === 0 ? <p className="muted">No snapshots from this ambulance.</p> : null}
      <ul className="snapshot-grid">
        {newestFirst.flatMap((snapshot) =>
          snapshot.images.map((image) => (
            <li key={`${snapshot.id}-${image.name}`} data-snapshot-id={snapshot.id}>
              <a href={image.url} target="_blank" rel="noreferrer">
                <img
                  src={image.url}
                  alt={`Snapshot ${image.name} of ambulance ${snapshot.ambulanceId} at ${formatTime(Date.parse(snapshot.createdAt))}`}
                  loading="lazy"
                />
              </a>
              <span className="snapshot-time">{formatTime(Date.parse(snapshot.createdAt))}</span>
            </li>
          )),
        )}
      </ul>
    </section>
  );
}
