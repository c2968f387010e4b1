/**
 * `report --verify`: the live results of `seaworthy verify` go into the document, from a fake engine
 * answering a recorded project (test/live); and an unreachable engine still gives the document, which
 * says the live checks could not run.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/report.js';
import { replay, startFakeEngine } from '../live/fake-engine.js';
import { loadRecording, RUNTIME_FIXTURES } from '../live/recording.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seaworthy-report-verify-'));
  dirs.push(dir);
  cpSync(join(RUNTIME_FIXTURES, 'repo'), dir, { recursive: true });
  return dir;
}

describe('seaworthy report --verify', () => {
  it('adds the live results and their date; a failing live check keeps "verified" out of the Status', async () => {
    const engine = await startFakeEngine(replay(loadRecording('recordings/shop-engine-20.10.json').responses));
    try {
      const r = await reportCommand(repo(), { date: '2026-11-29', verify: true, env: { DOCKER_HOST: engine.host } });
      expect(r.errors).toEqual([]);
      const md = r.markdown;
      expect(md).toContain('## Live Verification');
      expect(md).toMatch(/^> \*\*Status:\*\* .*; live verification \d{4}-\d{2}-\d{2} failed$/m);
      expect(md).not.toContain('Implemented and verified');
      expect(md).toMatch(/\| `shop-backend-1` \| runtime\/non-root \| Implemented \| `appuser` \(UID 1001\) \|/);
      expect(md).toMatch(/\| `shop-worker-1` \| runtime\/non-root \| Missing \|/);
      expect(engine.requests.every((q) => q.startsWith('GET '))).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it('without an engine the document is still written and says the live checks could not run', async () => {
    const r = await reportCommand(repo(), {
      date: '2026-11-29',
      verify: true,
      env: { DOCKER_HOST: `unix://${join(tmpdir(), 'seaworthy-no-such-engine.sock')}` },
    });
    expect(r.errors.length).toBe(1);
    expect(r.markdown).toMatch(/^> \*\*Status:\*\* .*; live verification 2026-11-29 could not run$/m);
    expect(r.markdown).toContain('The live checks could not all run: cannot reach the Docker engine');
  });
});
