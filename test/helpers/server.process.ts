import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface LogLine {
  readonly msg?: string;
  readonly [key: string]: unknown;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  readonly stderr: () => string;
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  readonly exited: Promise<number | null>;
}

export const MAIN_JS = path.resolve(import.meta.dirname, '..', '..', 'src', 'main.js');

/**
 * Runs the real server entry point (`node dist/src/main.js`), or another script, as a child process with
 * the given environment, collecting its JSON log lines.
 */
export function runServer(env: Record<string, string | undefined>, script = MAIN_JS): ServerProcess {
  const cleanEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) {
    if (value !== undefined) cleanEnv[key] = value;
  }
  const child = spawn(process.execPath, [script], { env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  const listeners: Array<() => void> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      lines.push({ msg: text });
    }
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLog(predicate, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(predicate);
          if (found) {
            clearTimeout(timer);
            resolve(found);
            return true;
          }
          return false;
        };
        const timer = setTimeout(
          () =>
            reject(
              new Error(`log line not seen in ${timeoutMs} ms; stderr: ${stderr}; lines: ${JSON.stringify(lines)}`),
            ),
          timeoutMs,
        );
        if (check()) return;
        listeners.push(() => void check());
        void exited.then((code) => {
          if (!check()) {
            clearTimeout(timer);
            reject(new Error(`server exited (${code}) first; stderr: ${stderr}`));
          }
        });
      });
    },
  };
}
