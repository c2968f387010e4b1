/**
 * parseDockerfileSkeleton (src/parse/dockerfile.ts) gives what the CI facts of a check in parts read
 * of a Dockerfile (src/check-parts.ts): it must agree with the full parse on stages, FROMs, global
 * ARGs, instructions, comments, directives and problems, on the repository's Dockerfiles and the
 * shared corpus (when present), while parsing no shell.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DockerfileModel } from '../../src/model/dockerfile.js';
import { parseDockerfile, parseDockerfileSkeleton } from '../../src/parse/dockerfile.js';
import { initShell, shellHooks } from '../../src/parse/shell.js';
import { dockerfilesUnder } from '../dockerfile-files.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CORPUS = resolve(ROOT, process.env.SEAWORTHY_CORPUS ?? join('..', 'shared', 'corpus'));

/** What the skeleton must share with the full parse. */
function frame(m: DockerfileModel): string {
  return JSON.stringify({
    directives: m.directives,
    comments: m.comments,
    globalArgs: m.globalArgs,
    instructions: m.instructions,
    problems: m.problems,
    stages: m.stages.map((s) => ({ index: s.index, name: s.name, from: s.from, parent: s.parent, instructions: s.instructions })),
  });
}

function agree(files: string[]): number {
  let n = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    let full: DockerfileModel;
    try {
      full = parseDockerfile(f, text);
    } catch {
      continue; // not parsed whole (a shell nested too deeply): the check in parts reports the difference
    }
    expect(frame(parseDockerfileSkeleton(f, text)), f).toBe(frame(full));
    n++;
  }
  return n;
}

describe('parseDockerfileSkeleton', () => {
  beforeAll(async () => {
    await initShell();
  });

  it('agrees with the full parse on the repository Dockerfiles, and parses no shell', () => {
    const files = [...dockerfilesUnder(join(ROOT, 'examples')), ...dockerfilesUnder(join(ROOT, 'test', 'fixtures'))];
    expect(agree(files)).toBeGreaterThan(20);
    const seen: string[] = [];
    shellHooks.record = (t) => seen.push(t);
    try {
      const m = parseDockerfileSkeleton(
        'Dockerfile',
        'ARG BASE=python:3.12-slim\nFROM ${BASE} AS build\nRUN pip install x\nHEALTHCHECK CMD curl -f http://localhost/\nFROM build\nCMD python app.py\n',
      );
      expect(m.stages.map((s) => [s.from.resolved, s.from.stageRef])).toEqual([
        ['python:3.12-slim', null],
        ['build', 0],
      ]);
      expect(m.stages[0].runs).toEqual([]);
      expect(m.stages[0].instructions.map((i) => i.keyword)).toEqual(['RUN', 'HEALTHCHECK']);
    } finally {
      shellHooks.record = null;
    }
    expect(seen).toEqual([]);
  });

  it('reads a Dockerfile whose RUN nests too deeply to analyse', () => {
    const m = parseDockerfileSkeleton('Dockerfile', `FROM alpine:3.20\nRUN ${'$('.repeat(20000)}x${')'.repeat(20000)}\n`);
    expect(m.stages.map((s) => s.from.raw)).toEqual(['alpine:3.20']);
  });

  it.runIf(existsSync(CORPUS))('agrees with the full parse on the shared corpus', () => {
    expect(agree(dockerfilesUnder(CORPUS))).toBeGreaterThan(300);
  });
});
