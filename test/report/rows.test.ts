/**
 * A practice row never says Implemented when another result on the same target contradicts it:
 * the shell script an exec-form ENTRYPOINT runs (entrypoint/exec-main-process), what compose
 * `entrypoint:`/`command:` runs per service, a datastore password that is a literal or weak value
 * (secrets/*), an image HEALTHCHECK that compose turns off (compose/healthcheck).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, render } from './helpers.js';

afterAll(cleanup);

/** The practice table row with this label in the section under this heading. */
function rowOf(md: string, heading: string, label: string): string {
  const start = md.indexOf(`\n${heading}\n`);
  expect(start, `no heading ${heading}`).toBeGreaterThanOrEqual(0);
  const rest = md.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/\n#{2,3} /) === -1 ? undefined : rest.search(/\n#{2,3} /));
  return section.split('\n').find((l) => l.startsWith(`| ${label} |`)) ?? '';
}

describe('practice rows agree with every result on their target', () => {
  it('an exec-form ENTRYPOINT that runs a script staying PID 1 is not "no shell entrypoint"', async () => {
    const md = await render('contradictions');
    expect(rowOf(md, '### App (`Dockerfile`)', 'No shell entrypoint')).toBe(
      '| No shell entrypoint | exec form `["/run.sh"]`, but `run.sh` is a shell script that does not hand PID 1 to the service (see Signal handling) | Missing |',
    );
    expect(rowOf(md, '### App (`Dockerfile`)', 'Signal handling')).toBe(
      // `php-fpm -D` daemonises: not the service; the shell waits for nginx with no TERM trap.
      '| Signal handling | The script starts `nginx` in the background and `wait` waits for it, with no `trap` on… (`run.sh:5`) | Missing |',
    );
  });

  it('an image HEALTHCHECK that compose disables is not Implemented', async () => {
    const md = await render('contradictions');
    expect(rowOf(md, '### App (`Dockerfile`)', 'Health check')).toBe(
      '| Health check | In service `app`, `healthcheck.disable: true` turns the healthcheck off (`docker-compose.yml:5`) | Missing |',
    );
  });

  it('a datastore password that is a literal or weak value is not Implemented, and its value is never printed', async () => {
    const md = await render('contradictions');
    expect(rowOf(md, '### Db (`postgres:16-alpine`)', 'Authentication')).toBe(
      '| Authentication | Password (`POSTGRES_PASSWORD`), a literal weak value in the compose file (`docker-compose.yml:9`) | Missing |',
    );
    expect(rowOf(md, '### Redis (`redis:7-alpine`)', 'Authentication')).toBe(
      '| Authentication | Password (`--requirepass`), with a weak fallback value in the compose file (`docker-compose.yml:12`) | Missing |',
    );
    // The Production Configuration's datastore rows say the same.
    expect(md).toContain(
      '| PostgreSQL hardening (`db`) | **Missing**: Password (`POSTGRES_PASSWORD`), a literal weak value in the compose file (`docker-compose.yml:9`) |',
    );
    expect(md).toContain(
      '| Redis hardening (`redis`) | **Missing**: Password (`--requirepass`), with a weak fallback value in the compose file (`docker-compose.yml:12`) |',
    );
    expect(md).not.toMatch(/changeme|: postgres\b/);
  });

  it('describes what runs for each service when compose `entrypoint:`/`command:` start different scripts', async () => {
    const md = await render('compose-starts');
    expect(rowOf(md, '### Web, Worker (`Dockerfile`)', 'No shell entrypoint')).toBe(
      '| No shell entrypoint | `web`: `web-entrypoint.sh` with `exec` (compose `entrypoint:`); `worker`: `worker.sh` (compose `command:`), a shell script that does not hand PID 1 to the service (see Signal handling) | Missing |',
    );
  });
});
