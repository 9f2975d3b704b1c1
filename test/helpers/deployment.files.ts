/** Readers for the deployment files (nginx config, Dockerfile, .env.example), so tests can check them against the code. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

export function readRepoFile(relativePath: string): string {
  return readFileSync(path.join(REPO_ROOT, relativePath), 'utf8');
}

export interface NginxDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly block?: readonly NginxDirective[];
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#]+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0].startsWith('#')) continue;
    tokens.push(match[1] ?? match[2] ?? match[3] ?? (match[4] as string));
  }
  return tokens;
}

/**
 * Parses nginx configuration into directives, following `include` of files under `containerDir` (where
 * the compose file mounts `hostDir`). Glob includes that match nothing are skipped, as nginx does.
 */
export function parseNginx(file: string, mount: { containerDir: string; hostDir: string }): NginxDirective[] {
  const tokens = tokenize(readFileSync(file, 'utf8'));
  let index = 0;
  const parseBlock = (): NginxDirective[] => {
    const directives: NginxDirective[] = [];
    while (index < tokens.length) {
      const name = tokens[index++] as string;
      if (name === '}') return directives;
      const args: string[] = [];
      while (index < tokens.length && tokens[index] !== ';' && tokens[index] !== '{')
        args.push(tokens[index++] as string);
      const terminator = tokens[index++];
      if (terminator === '{') {
        directives.push({ name, args, block: parseBlock() });
      } else if (name === 'include' && args[0]?.startsWith(mount.containerDir)) {
        directives.push(...expandInclude(args[0], mount));
      } else {
        directives.push({ name, args });
      }
    }
    return directives;
  };
  return parseBlock();
}

function expandInclude(pattern: string, mount: { containerDir: string; hostDir: string }): NginxDirective[] {
  const hostPattern = path.join(mount.hostDir, path.relative(mount.containerDir, pattern));
  if (!hostPattern.includes('*')) {
    if (!existsSync(hostPattern)) throw new Error(`nginx includes ${pattern}, which ${hostPattern} does not provide`);
    return parseNginx(hostPattern, mount);
  }
  const directory = path.dirname(hostPattern);
  const matcher = new RegExp(`^${path.basename(hostPattern).replaceAll('.', '\\.').replaceAll('*', '.*')}$`);
  return readdirSync(directory)
    .filter((name) => matcher.test(name))
    .flatMap((name) => parseNginx(path.join(directory, name), mount));
}

/** Every directive named `name`, at any depth, with its enclosing blocks' directives (outermost first). */
export function findDirectives(
  directives: readonly NginxDirective[],
  name: string,
  ancestors: readonly NginxDirective[] = [],
): Array<{ directive: NginxDirective; ancestors: readonly NginxDirective[] }> {
  return directives.flatMap((directive) => [
    ...(directive.name === name ? [{ directive, ancestors }] : []),
    ...(directive.block ? findDirectives(directive.block, name, [...ancestors, directive]) : []),
  ]);
}

export interface DockerInstruction {
  readonly keyword: string;
  readonly value: string;
  /** Index of the build stage (FROM) it belongs to. */
  readonly stage: number;
}

/** Dockerfile instructions with line continuations joined; comments and the parser directive dropped. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const instructions: DockerInstruction[] = [];
  let stage = -1;
  for (const line of joined.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^(\w+)\s+(.*)$/.exec(trimmed);
    if (!match) throw new Error(`unreadable Dockerfile line: ${trimmed}`);
    const keyword = (match[1] as string).toUpperCase();
    if (keyword === 'FROM') stage += 1;
    instructions.push({ keyword, value: (match[2] as string).trim(), stage });
  }
  return instructions;
}

/** Variable names in an env file, set (`NAME=value`) or shown commented (`# NAME=value`), with their values. */
export function parseEnvExample(text: string): Map<string, { readonly value: string; readonly commented: boolean }> {
  const variables = new Map<string, { value: string; commented: boolean }>();
  for (const line of text.split('\n')) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) variables.set(match[2] as string, { value: match[3] as string, commented: Boolean(match[1]) });
  }
  return variables;
}

/**
 * Resolves docker compose interpolation in one value: `${NAME}`, `${NAME:-default}` (default when unset or
 * empty) and `${NAME:?message}` (an error when unset or empty, as compose refuses to start).
 */
export function interpolateCompose(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(/\$\{([A-Z][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest = '') => {
    const given = env[name] ?? '';
    if (given !== '') return given;
    if (kind === '?') throw new Error(`compose requires ${name}: ${rest}`);
    return kind === '-' ? rest : '';
  });
}

/** Evaluates an nginx `map` block (exact keys, `~` regexes, `default`) for one input, as nginx does. */
export function evaluateNginxMap(block: readonly NginxDirective[], input: string): string | undefined {
  const exact = block.find((entry) => !entry.name.startsWith('~') && entry.name !== 'default' && entry.name === input);
  if (exact) return exact.args[0];
  const regex = block.find((entry) => entry.name.startsWith('~') && new RegExp(entry.name.slice(1)).test(input));
  return (regex ?? block.find((entry) => entry.name === 'default'))?.args[0];
}
