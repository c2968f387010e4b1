/**
 * src/parse/dockerfile.ts computes instructions' arguments with its own copy of dockerfile-ast's
 * `getRawArguments` (`rawArguments`, faster, memoised per instruction). It must give exactly what
 * dockerfile-ast gives: compared here, value and range of every argument of every instruction
 * (ONBUILD triggers included), on the repository's Dockerfiles and on random ones full of escapes,
 * continuation lines, comments, CRs and both escape characters.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawArgumentsAgree } from '../../src/parse/dockerfile.js';

const ROOT = join(import.meta.dirname, '..', '..');

function dockerfiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) dockerfiles(p, out);
    else if (/dockerfile|containerfile/i.test(e)) out.push(p);
  }
  return out;
}

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  ' ',
  ' ',
  '  ',
  '\t',
  '\\',
  '\\',
  '`',
  '\n',
  '\r\n',
  '\r',
  '\\\n',
  '\\ \n',
  '\\\t\r\n',
  '\\\r\n',
  '`\n',
  '# c\n',
  '#',
  '$',
  '\\$',
  'a',
  'bc',
  'x=1',
  '"q r"',
  "'s'",
  '--from=b',
  '-',
  '=',
  '[',
  ']',
  ',',
  '"',
  'é',
  '😀',
  '\\é',
];
const KEYWORDS = [
  'RUN',
  'COPY',
  'ADD',
  'ENV',
  'ARG',
  'FROM',
  'CMD',
  'ENTRYPOINT',
  'HEALTHCHECK CMD',
  'ONBUILD RUN',
  'LABEL',
  'USER',
  'WORKDIR',
  'EXPOSE',
  'SHELL',
  'VOLUME',
  'STOPSIGNAL',
  'MAINTAINER',
  'run',
];

function randomDockerfile(next: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const lines: string[] = [];
  if (next() < 0.3) lines.push(next() < 0.5 ? '# escape=`' : '# escape=\\');
  const n = 1 + Math.floor(next() * 6);
  for (let i = 0; i < n; i++) {
    let body = '';
    const len = Math.floor(next() * 14);
    for (let j = 0; j < len; j++) body += pick(PIECES);
    lines.push(`${pick(KEYWORDS)} ${body}`);
  }
  return lines.join(next() < 0.2 ? '\r\n' : '\n') + (next() < 0.5 ? '\n' : '');
}

describe('Dockerfile instruction arguments', () => {
  it('match dockerfile-ast on the repository Dockerfiles', () => {
    const files = [...dockerfiles(join(ROOT, 'examples')), ...dockerfiles(join(ROOT, 'test', 'fixtures'))];
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(rawArgumentsAgree(readFileSync(f, 'utf8')), f).toBe(true);
  });

  it('match dockerfile-ast on 5000 random Dockerfiles', () => {
    const next = rng(20261129);
    for (let i = 0; i < 5000; i++) {
      const text = randomDockerfile(next);
      expect(rawArgumentsAgree(text), JSON.stringify(text)).toBe(true);
    }
  });
});
