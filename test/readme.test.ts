import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseEnvExample, REPO_ROOT, readRepoFile } from './helpers/deployment.files.js';

const README = 'README.md';
const DOCS = readdirSync(path.join(REPO_ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);
const DOCUMENTS = [README, ...DOCS];
/** Hosts a document may name in an http(s) address: this machine and the reserved example domains. */
const ALLOWED_HOST = /^(localhost|127\.0\.0\.1|(?:[\w-]+\.)*example(?:\.(?:com|org|net))?)(?::\d+)?$/;

/** Targets of Markdown links and images: `[text](target)` and `![alt](target)`. */
function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] ?? '');
}

describe('README and docs/', () => {
  const readme = readRepoFile(README);

  it('the README stays short: under 300 lines', () => {
    const lines = readme.split('\n').length;
    assert.ok(lines < 300, `README.md has ${lines} lines; move detail into docs/`);
  });

  it('the README gives the two commands for a fresh machine', () => {
    assert.ok(readme.includes('`npm install && npm start`'), 'run the server');
    assert.ok(readme.includes('`npm install && npm test`'), 'run the whole test suite');
    const scripts = JSON.parse(readRepoFile('package.json')).scripts as Record<string, string>;
    assert.ok(scripts.start && scripts.test, 'package.json has the start and test scripts the commands run');
  });

  it('the docs this test reads exist, and the README links each of them', () => {
    assert.ok(DOCS.length >= 5, `docs/ holds the moved sections, found ${DOCS.join(', ')}`);
    for (const doc of DOCS) {
      assert.ok(linkTargets(readme).includes(doc), `README.md links ${doc}`);
    }
  });

  for (const document of DOCUMENTS) {
    it(`every relative link in ${document} resolves to a file in the repository`, () => {
      const targets = linkTargets(readRepoFile(document)).filter((target) => !/^[a-z]+:/i.test(target));
      for (const target of targets) {
        const file = target.split('#')[0] ?? '';
        if (file === '') continue; // an anchor within the same document
        const resolved = path.resolve(REPO_ROOT, path.dirname(document), decodeURIComponent(file));
        assert.ok(resolved.startsWith(`${REPO_ROOT}${path.sep}`), `${document}: ${target} leaves the repository`);
        assert.ok(existsSync(resolved), `${document}: ${target} does not exist`);
      }
    });

    it(`${document} names no http(s) address outside this machine and the example domains`, () => {
      const text = readRepoFile(document);
      for (const match of text.matchAll(/https?:\/\/([^/\s`)"'<>,|]*)/gi)) {
        const host = match[1] ?? '';
        if (host === '' || host.startsWith('<') || host.startsWith('$')) continue; // a placeholder, e.g. https://<host>
        assert.match(host, ALLOWED_HOST, `${document}: ${match[0]} points outside the repository`);
      }
      for (const target of linkTargets(text)) {
        assert.ok(!/^(?:[a-z]+:|\/\/)/i.test(target) || /^https?:\/\//i.test(target), `${document}: ${target}`);
      }
    });
  }

  it('every variable in .env.example is documented in docs/configuration.md', () => {
    const configuration = readRepoFile('docs/configuration.md');
    const variables = [...parseEnvExample(readRepoFile('.env.example')).keys()];
    assert.ok(variables.length >= 20, 'the variables come from .env.example');
    const missing = variables.filter((name) => !configuration.includes(`\`${name}\``));
    assert.deepEqual(missing, [], 'variables of .env.example missing from docs/configuration.md');
  });
});
