import { type DashboardSettings, parseSettings } from '../logic/settings.parse';

const SETTINGS_PATH = `${import.meta.env.BASE_URL}config.json`;

export async function fetchSettings(): Promise<DashboardSettings> {
  const response = await fetch(SETTINGS_PATH, { cache: 'no-store' });
  if (!response.ok) throw new Error(`dashboard settings: HTTP ${response.status}`);
  return parseSettings((await response.json()) as Record<string, unknown>, new Date());
}
