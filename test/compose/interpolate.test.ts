/**
 * Compose interpolation (Compose Specification "Interpolation", compose-go `template` package):
 * every form with the positions of its uses, resolution against variables (unset vs empty), `$$`,
 * nesting, invalid forms with their index, and use positions mapped into a file via posInScalar.
 */
import { describe, expect, it } from 'vitest';
import { interpolate, parseInterpolation, type VarUse } from '../../src/parse/interpolate.js';
import { at, type PScalar, parseYaml, posInScalar } from '../../src/parse/yaml.js';

/** A use as `NAME op word @start-end dN [req] [def]`, compact enough for a table. */
function show(u: VarUse): string {
  let s = `${u.name}${u.op}${u.word ?? ''} @${u.start}-${u.end}`;
  if (u.depth) s += ` d${u.depth}`;
  if (u.required) s += ' req';
  if (u.hasDefault) s += ' def';
  return s;
}

describe('parseInterpolation: uses with positions, depth and flags', () => {
  const cases: [string, string[]][] = [
    ['$VAR', ['VAR @0-4']],
    ['${VAR}', ['VAR @0-6']],
    ['x$VAR.y', ['VAR @1-5']],
    ['$VAR_1x-rest', ['VAR_1x @0-7']],
    ['$_private', ['_private @0-9']],
    ['pre-${VAR}-post', ['VAR @4-10']],
    ['${A}${B}', ['A @0-4', 'B @4-8']],
    ['$A$B', ['A @0-2', 'B @2-4']],
    ['${VAR:-default}', ['VAR:-default @0-15 def']],
    ['${VAR-default}', ['VAR-default @0-14 def']],
    ['${VAR:-}', ['VAR:- @0-8 def']],
    ['${VAR:-a b c}', ['VAR:-a b c @0-13 def']],
    ['${VAR:?must be set}', ['VAR:?must be set @0-19 req']],
    ['${VAR?}', ['VAR? @0-7 req']],
    ['${VAR:+alt}', ['VAR:+alt @0-11']],
    ['${VAR+alt}', ['VAR+alt @0-10']],
    ['${A:-${B:-x}}', ['A:-${B:-x} @0-13 def', 'B:-x @5-12 d1 def']],
    ['${A:-${B:-${C}}}', ['A:-${B:-${C}} @0-16 def', 'B:-${C} @5-15 d1 def', 'C @10-14 d2']],
    ['${A:+$B}', ['A:+$B @0-8', 'B @5-7 d1']],
    ['${A:?${B} is needed}', ['A:?${B} is needed @0-20 req', 'B @5-9 d1']],
    ['postgres://${DB_USER:-app}:${DB_PASSWORD:-secret}@db/app', ['DB_USER:-app @11-26 def', 'DB_PASSWORD:-secret @27-49 def']],
    ['$$', []],
    ['$$VAR', []],
    ['$${VAR}', []],
    ['$$$VAR', ['VAR @2-6']],
    ['${A:-$$}', ['A:-$$ @0-8 def']],
    ['5$', []],
    ['$(date +%s)', []],
    ["$'x'", []],
    ['$1', []],
    ['${VAR}}', ['VAR @0-6']],
    ['no variables here', []],
  ];
  it.each(cases)('%s', (input, uses) => {
    const r = parseInterpolation(input);
    expect(r.errors).toEqual([]);
    expect(r.uses.map(show)).toEqual(uses);
  });

  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));
});

describe('parseInterpolation: invalid forms are errors with their index', () => {
  it.each([
    ['${}', 0],
    ['${VAR', 0],
    ['abc ${VAR', 4],
    ['${1A}', 0],
    ['${VAR:x}', 0],
    ['${VAR!}', 0],
    ['${VAR FOO}', 0],
    ['ok ${A} then ${-x}', 13],
    ['${A:-${}}', 5],
    ['${A:-${B}', 0],
  ] as const)('%s → error at %i', (input, index) => {
    const r = parseInterpolation(input);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0].index).toBe(index);
    expect(r.errors[0].message).toMatch(/\S/);
  });

  it('keeps the valid uses around an invalid one', () => {
    const r = parseInterpolation('${A} ${1B} ${C}');
    expect(r.uses.map((u) => u.name)).toEqual(['A', 'C']);
    expect(r.errors.map((e) => e.index)).toEqual([5]);
  });

  it('interpolate() refuses a string with an invalid form', () => {
    expect(interpolate('${VAR:x}', new Map()).value).toBeNull();
  });
});

describe('interpolate: resolution (unset vs empty)', () => {
  const vars = new Map([
    ['SET', 'value'],
    ['EMPTY', ''],
    ['B', 'bee'],
  ]);
  it.each([
    ['$SET', 'value', []],
    ['${SET}', 'value', []],
    ['$UNSET', '', ['UNSET']],
    ['${EMPTY}', '', []],
    ['${UNSET:-d}', 'd', []],
    ['${EMPTY:-d}', 'd', []],
    ['${SET:-d}', 'value', []],
    ['${UNSET-d}', 'd', []],
    ['${EMPTY-d}', '', []],
    ['${SET-d}', 'value', []],
    ['${UNSET:?e}', '', ['UNSET']],
    ['${EMPTY:?e}', '', ['EMPTY']],
    ['${SET:?e}', 'value', []],
    ['${UNSET?e}', '', ['UNSET']],
    ['${EMPTY?e}', '', []],
    ['${UNSET:+a}', '', []],
    ['${EMPTY:+a}', '', []],
    ['${SET:+a}', 'a', []],
    ['${UNSET+a}', '', []],
    ['${EMPTY+a}', 'a', []],
    ['${SET+a}', 'a', []],
    ['${UNSET:-${B:-x}}', 'bee', []],
    ['${UNSET:-${NOPE:-x}}', 'x', []],
    ['${SET:-${NOPE}}', 'value', []],
    ['${SET:+[${B}]}', '[bee]', []],
    ['$$', '$', []],
    ['$$SET', '$SET', []],
    ['$${SET}', '${SET}', []],
    ['cost: 5$', 'cost: 5$', []],
    ['$(hostname)', '$(hostname)', []],
    ['a${SET}b$SET.c', 'avalueb' + 'value.c', []],
  ] as const)('%s → %j', (input, value, missing) => {
    const r = interpolate(input, vars);
    expect(r.value).toBe(value);
    expect(r.missing).toEqual(missing);
  });
});

describe('posInScalar: use positions in the file', () => {
  const text = [
    'services:',
    '  app:',
    '    image: registry/${IMAGE:-app}:${TAG}',
    "    user: '${UID:-1000}:${GID}'",
    '    command: "run --port ${PORT:-8000}"',
    '    environment:',
    '      - DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD:?set it}@db/app',
    '',
  ].join('\n');
  const root = parseYaml('docker-compose.yml', text).root;
  const scalar = (...path: string[]) => at(root, ...path) as PScalar;
  const positions = (s: PScalar) =>
    parseInterpolation(String(s.value)).uses.map((u) => ({ name: u.name, start: posInScalar(s, u.start), end: posInScalar(s, u.end) }));
  const col = (line: string, needle: string) => line.indexOf(needle) + 1;
  const lines = text.split('\n');

  it('plain scalar', () => {
    const s = scalar('services', 'app', 'image');
    expect(s.style).toBe('plain');
    expect(positions(s)).toEqual([
      { name: 'IMAGE', start: { line: 3, column: col(lines[2], '${IMAGE') }, end: { line: 3, column: col(lines[2], ':${TAG') } },
      { name: 'TAG', start: { line: 3, column: col(lines[2], '${TAG') }, end: { line: 3, column: lines[2].length + 1 } },
    ]);
  });

  it('single-quoted scalar (offsets start after the quote)', () => {
    const s = scalar('services', 'app', 'user');
    expect(s.style).toBe('single');
    expect(positions(s).map((p) => [p.name, p.start.column])).toEqual([
      ['UID', col(lines[3], '${UID')],
      ['GID', col(lines[3], '${GID')],
    ]);
  });

  it('double-quoted scalar', () => {
    const s = scalar('services', 'app', 'command');
    expect(s.style).toBe('double');
    const [p] = positions(s);
    expect(p).toEqual({ name: 'PORT', start: { line: 5, column: col(lines[4], '${PORT') }, end: { line: 5, column: lines[4].length } });
  });

  it('a plain list item with KEY=VALUE', () => {
    const env = at(root, 'services', 'app', 'environment');
    const item = env?.kind === 'seq' ? (env.items[0] as PScalar) : null;
    expect(item).not.toBeNull();
    expect(positions(item as PScalar).map((p) => [p.name, p.start.line, p.start.column])).toEqual([
      ['DB_USER', 7, col(lines[6], '${DB_USER')],
      ['DB_PASSWORD', 7, col(lines[6], '${DB_PASSWORD')],
    ]);
  });
});
