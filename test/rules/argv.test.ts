/** Compose command words with positions (src/rules/_argv.ts) and example env file names (model/build.ts). */
import { describe, expect, it } from 'vitest';
import { envFileNames } from '../../src/model/build.js';
import { type PNode, parseYaml } from '../../src/parse/yaml.js';
import { commandWords } from '../../src/rules/_argv.js';

function node(yaml: string): PNode {
  const root = parseYaml('c.yml', yaml).root;
  if (root?.kind !== 'map') throw new Error('no map');
  return root.entries[0].value;
}

const words = (yaml: string, kind: 'command' | 'healthcheck' = 'command') =>
  commandWords(node(yaml), kind).map((c) => c.map((w) => `${w.value}@${w.location.line}:${w.location.column}-${w.location.endColumn}`));

describe('commandWords', () => {
  it('splits a string command into words with columns', () => {
    expect(words('command: uvicorn app:app --reload\n')).toEqual([['uvicorn@1:10-17', 'app:app@1:18-25', '--reload@1:26-34']]);
  });
  it('keeps quoted words together and drops the quotes', () => {
    expect(words(`command: echo 'a b' "c d"\n`)).toEqual([['echo@1:10-14', 'a b@1:15-20', 'c d@1:21-26']]);
  });
  it('takes list items as words', () => {
    expect(words('command: ["npm", "run", "dev"]\n')).toEqual([['npm@1:12-15', 'run@1:19-22', 'dev@1:26-29']]);
  });
  it('splits the script of sh -c into commands', () => {
    expect(words('command: sh -c "npm ci && next dev"\n')).toEqual([
      ['sh@1:10-12', '-c@1:13-15'],
      ['npm@1:17-20', 'ci@1:21-23'],
      ['next@1:27-31', 'dev@1:32-35'],
    ]);
  });
  it('reads healthcheck tests: CMD, CMD-SHELL, a string, NONE', () => {
    expect(words('test: ["CMD", "redis-cli", "ping"]\n', 'healthcheck')).toEqual([['redis-cli@1:16-25', 'ping@1:29-33']]);
    expect(words('test: ["CMD-SHELL", "pg_isready || exit 1"]\n', 'healthcheck')).toEqual([
      ['pg_isready@1:22-32'],
      ['exit@1:36-40', '1@1:41-42'],
    ]);
    expect(words('test: curl -f http://x/ | grep ok\n', 'healthcheck')).toEqual([
      ['curl@1:7-11', '-f@1:12-14', 'http://x/@1:15-24'],
      ['grep@1:27-31', 'ok@1:32-34'],
    ]);
    expect(words('test: ["NONE"]\n', 'healthcheck')).toEqual([]);
  });
  it(`keeps $$ and \${} expansions as written`, () => {
    expect(words('command: redis-cli -a "$$REDIS_PASSWORD" ping\n')[0].map((w) => w.split('@')[0])).toEqual([
      'redis-cli',
      '-a',
      '$$REDIS_PASSWORD',
      'ping',
    ]);
  });
});

describe('envFileNames', () => {
  it('lists assigned names, skipping comments and blank lines', () => {
    expect(envFileNames('# comment\nA=1\n\nexport B="x"\n  C=\n# D=commented\nA=again\nE: yaml-style\n')).toEqual(['A', 'B', 'C', 'E']);
  });
});
