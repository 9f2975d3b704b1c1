/**
 * Where a `node --cpu-prof` profile spent its time: the functions with the most self time, and self time by
 * package (node_modules/<name>, node: internals, this project's code, GC, idle).
 * Run: `node dist/bench/cpuprofile.summary.js FILE.cpuprofile [TOP=25]`.
 */
import { readFileSync } from 'node:fs';
import { fmt, say } from './bench.server.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** `node_modules/<scope/name>` of a script, `node:` for internals, `(project)` for the rest. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return match ? (match[1] as string) : '(project)';
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node dist/bench/cpuprofile.summary.js FILE.cpuprofile [TOP]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg ?? 25);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
});

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
let idle = 0;
for (const [id, ms] of selfMs) {
  const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
  total += ms;
  if (functionName === '(idle)') idle += ms;
  const where = url
    ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, '')}:${lineNumber + 1}`
    : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  const pkg = packageOf(url, functionName);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
}
const busy = total - idle;
const share = (ms: number) => `${fmt((100 * ms) / busy).padStart(5)} %`;
const sorted = (map: Map<string, number>) => [...map].filter(([key]) => key !== '(idle)').sort((a, b) => b[1] - a[1]);

say(`${file}: ${fmt(total / 1000)} s sampled, ${fmt(busy / 1000)} s busy (shares below are of busy time)`);
say(`\nself time by package`);
for (const [pkg, ms] of sorted(byPackage).slice(0, 20)) say(`  ${share(ms)}  ${fmt(ms, 0).padStart(7)} ms  ${pkg}`);
say(`\ntop ${top} functions by self time`);
for (const [key, ms] of sorted(byFunction).slice(0, top)) say(`  ${share(ms)}  ${fmt(ms, 0).padStart(7)} ms  ${key}`);
