/**
 * The Status line is true: it counts the open gaps (failing results at `low` or above, the same
 * finding in dev and prod counted once), names the high ones, and says "Implemented and verified"
 * only when nothing fails and a live verification passed. Also: the pure helpers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { gist, type ReportVerification, renderMarkdownReport, scriptExcerpt } from '../../src/format/markdown-report.js';
import type { Result } from '../../src/types.js';
import { cleanup, DATE, outcomeOf as outcomeWithCi } from './helpers.js';

/** The fixture's outcome without ci/* results, so these counts do not move with the CI rules. */
async function outcomeOf(name: string) {
  const o = await outcomeWithCi(name);
  return { ...o, report: { ...o.report, results: o.report.results.filter((r) => !r.ruleId.startsWith('ci/')) } };
}

afterAll(cleanup);

function statusOf(md: string): string {
  return /^> \*\*Status:\*\* (.*)$/m.exec(md)?.[1] ?? '';
}

const LIVE_PASS: Result = {
  ruleId: 'runtime/non-root',
  status: 'pass',
  severity: 'high',
  target: 'no-ci-app-1',
  message: 'every process runs as app (UID 1000)',
  evidence: '`app` (UID 1000)',
  location: { file: 'docker-compose.yml', line: 2, column: 3, endLine: 2, endColumn: 6 },
};

async function fixedOutcome() {
  // The no-ci stack with its two gaps fixed (their results turned into passes).
  const o = await outcomeOf('no-ci');
  const results = o.report.results.map((r) =>
    r.status === 'fail' && r.severity !== 'info' ? { ...r, status: 'pass' as const, evidence: 'fixed' } : r,
  );
  return { ...o, report: { ...o.report, results } };
}

describe('Status line', () => {
  it('counts gaps once across environments and names the severe ones', async () => {
    const o = await outcomeOf('no-dockerfile');
    const md = renderMarkdownReport(o, { date: DATE });
    expect(statusOf(md)).toBe('Partially implemented — 22 gaps open (2 high); 1 info-level advisory');
  });

  it('is "Implemented — N gaps open" when no gap is high or critical', async () => {
    const o = await outcomeOf('no-ci');
    expect(statusOf(renderMarkdownReport(o, { date: DATE }))).toBe('Implemented — 2 gaps open; 3 info-level advisories');
  });

  it('without gaps and without verification says it is not verified', async () => {
    const o = await fixedOutcome();
    expect(statusOf(renderMarkdownReport(o, { date: DATE }))).toBe(
      'Implemented — no gaps open; 3 info-level advisories; not verified on a running system',
    );
  });

  it('is "Implemented and verified" only with a passing live verification', async () => {
    const o = await fixedOutcome();
    const passed: ReportVerification = { date: '2026-01-16', passed: true, results: [LIVE_PASS] };
    const md = renderMarkdownReport(o, { date: DATE, verification: passed });
    expect(statusOf(md)).toBe('Implemented and verified (live verification 2026-01-16); 3 info-level advisories');
    expect(md).toContain('## Live Verification');
    expect(md).toContain('| `no-ci-app-1` | runtime/non-root | Implemented | `app` (UID 1000) |');

    const failed: ReportVerification = {
      date: '2026-01-16',
      passed: false,
      results: [{ ...LIVE_PASS, status: 'fail', evidence: undefined, message: 'PID 1 runs as root' }],
    };
    expect(statusOf(renderMarkdownReport(o, { date: DATE, verification: failed }))).toBe(
      'Implemented — no gaps open; 3 info-level advisories; live verification 2026-01-16 failed',
    );
  });

  it('a live verification never hides static gaps', async () => {
    const o = await outcomeOf('no-ci');
    const md = renderMarkdownReport(o, { date: DATE, verification: { date: '2026-01-16', passed: true, results: [LIVE_PASS] } });
    expect(statusOf(md)).toBe('Implemented — 2 gaps open; 3 info-level advisories; live verification 2026-01-16 passed');
  });

  it('with nothing to assess says so', async () => {
    const o = await outcomeOf('no-ci');
    const empty = { ...o, report: { ...o.report, results: [] } };
    expect(statusOf(renderMarkdownReport(empty, { date: DATE }))).toBe('Not assessed — no Dockerfile or compose file found');
  });
});

describe('helpers', () => {
  it('gist: the first clause, never cutting a code span', () => {
    expect(gist('The image sets no USER, so the container runs as root; create a user.')).toBe('The image sets no USER');
    expect(gist('`COPY . .` copies the whole build context and there is no `.dockerignore`, so any `.env` leaks')).toBe(
      '`COPY . .` copies the whole build context and there is no `.dockerignore`',
    );
    expect(
      gist(
        "Service `web` keeps Docker's default capabilities (`CHOWN`, `DAC_OVERRIDE`, `SETUID`, `NET_RAW`, ...), which most services never use",
      ),
    ).toBe("Service `web` keeps Docker's default capabilities");
    // Too long even so: parenthetical asides go first, then the clause is cut at a word.
    expect(
      gist(
        'The final image is based on `node:22` (a full distribution image with compilers and many tools) and ships the whole source tree with it',
      ),
    ).toBe('The final image is based on `node:22` and ships the whole source tree with it');
  });

  it('scriptExcerpt masks secret-looking assignments and URL passwords, keeps references', () => {
    const text =
      '#!/bin/sh\nexport DB_PASSWORD=hunter2secret\nAPI_TOKEN="abc123"\nURL=postgres://app:s3cret@db/app\nexport REDIS_PASSWORD=$REDIS_PASSWORD\nexec app\n';
    const out = scriptExcerpt(text);
    expect(out).not.toMatch(/hunter2secret|abc123|s3cret/);
    expect(out).toContain('export DB_PASSWORD=****');
    expect(out).toContain('API_TOKEN=****');
    expect(out).toContain('postgres://app:****@db/app');
    expect(out).toContain('export REDIS_PASSWORD=$REDIS_PASSWORD');
  });

  it('scriptExcerpt masks the values of secret arguments (client passwords, tokens, credentials in headers), keeps references', () => {
    const text = [
      '#!/bin/sh',
      "mongosh -u root -p Hunter2xG --eval 'db.runCommand({ping:1})'",
      'curl -fsS -u admin:Hunter2xH http://localhost/',
      'sqlcmd -U sa -P Hunter2xI -Q "SELECT 1"',
      'curl -H "Authorization: Bearer Hunter2xJ" http://localhost/',
      'redis-cli -a "$REDIS_PASSWORD" -p 6379 ping',
      'redis-cli -a Hunter2xK ping',
      'mysqladmin ping -uroot -pHunter2xL',
      'echo $$ > /run/app.pid',
      // Script code the short flags mean something else in is shown as written.
      `if [ "$1" = 'redis-server' -a "$(id -u)" = '0' ]; then`,
      'cp -pR /src /dst && mkdir -pv /data',
      'docker run -u 1000:1000 app',
      'curl -fsSL https://example.com/key.asc | apt-key add -',
      'exec app',
    ].join('\n');
    const out = scriptExcerpt(text);
    expect(out).not.toMatch(/Hunter2x/);
    expect(out.split('\n')).toEqual([
      '#!/bin/sh',
      "mongosh -u root -p **** --eval 'db.runCommand({ping:1})'",
      'curl -fsS -u admin:**** http://localhost/',
      'sqlcmd -U sa -P **** -Q "SELECT 1"',
      'curl -H "Authorization: Bearer ****" http://localhost/',
      'redis-cli -a "$REDIS_PASSWORD" -p 6379 ping',
      'redis-cli -a **** ping',
      'mysqladmin ping -uroot -p****',
      'echo $$ > /run/app.pid',
      `if [ "$1" = 'redis-server' -a "$(id -u)" = '0' ]; then`,
      'cp -pR /src /dst && mkdir -pv /data',
      'docker run -u 1000:1000 app',
      'curl -fsSL https://example.com/key.asc | apt-key add -',
      'exec app',
    ]);
  });

  it('scriptExcerpt cuts long scripts', () => {
    const out = scriptExcerpt(Array.from({ length: 80 }, (_, i) => `echo ${i}`).join('\n'), 60);
    expect(out.split('\n')).toHaveLength(61);
    expect(out).toMatch(/# … 20 more lines in the file$/);
  });
});
