/**
 * The dashboard's one time format: local wall-clock time, 24-hour, written out digit by digit so no browser
 * locale turns it into "2:05 PM" or another order.
 */
const pad = (value: number) => String(value).padStart(2, '0');

/** "14:05", for labels where seconds would be noise. */
export function formatClock(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "14:05:09". */
export function formatTime(ms: number): string {
  return `${formatClock(ms)}:${pad(new Date(ms).getSeconds())}`;
}

/** "2026-12-06 14:05:09". */
export function formatDateTime(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatTime(ms)}`;
}

/** "just now", "5 min ago", "2 h 04 min ago", "3 d ago": how old a last report is, in whole minutes. */
export function formatMinutesAgo(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${pad(minutes % 60)} min ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

export function formatPosition(latitude: number, longitude: number): string {
  return `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
}

/**
 * `yyyy-MM-dd HH:mm` in local time, for the replay range fields. Plain text fields, because a datetime-local
 * field shows the browser locale's format (often 12-hour) whatever the page uses.
 */
export function toLocalInputValue(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatClock(ms)}`;
}

const LOCAL_INPUT = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})\s*$/;

/**
 * The time in a range field (`yyyy-MM-dd HH:mm`, or with a T), NaN when it is not one: a day the month does not
 * have (31 February) or a local time the clocks skipped is refused, not rolled over into another time.
 */
export function fromLocalInputValue(value: string): number {
  const match = LOCAL_INPUT.exec(value);
  if (!match) return Number.NaN;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(year, month - 1, day, hour, minute);
  const asWritten =
    date.getFullYear() === year &&
    date.getMonth() === month - 1 &&
    date.getDate() === day &&
    date.getHours() === hour &&
    date.getMinutes() === minute;
  return asWritten ? date.getTime() : Number.NaN;
}
