/**
 * Repositories without part of the setup still get the whole document, each section saying what is
 * absent instead of vanishing: no compose file, no CI workflow, no Dockerfile (compose with `image:`
 * services only). Golden file per repository (`UPDATE_GOLDEN=1` rewrites them).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, golden, render, SECTION_TITLES, sections } from './helpers.js';

afterAll(cleanup);

describe('a repository with no compose file', () => {
  it('renders every section and says what is absent', async () => {
    const md = await render('no-compose');
    golden('no-compose.md', md);
    expect(sections(md).map((s) => s.title)).toEqual(SECTION_TITLES);
    expect(md).toContain('No compose file found: services, networks, production overlay and resource limits are not assessed.');
    expect(md).toContain('No compose file: logging drivers and rotation are set where the containers are run');
    expect(md).toContain('Resource limits and log rotation: not assessed (no compose file)');
    expect(md).toContain('### `Dockerfile`');
    expect(md).not.toContain('```mermaid');
  });
});

describe('a repository with no CI workflow', () => {
  it('renders every section and says there is no CI', async () => {
    const md = await render('no-ci');
    golden('no-ci.md', md);
    expect(sections(md).map((s) => s.title)).toEqual(SECTION_TITLES);
    expect(md).toContain(
      'No CI workflow found (`.github/workflows/*.yml`, `.gitlab-ci.yml`): images and dependencies are not scanned automatically.',
    );
    expect(md).toContain('- Vulnerability scanning in CI/CD: no CI workflow found');
  });
});

describe('a repository with no Dockerfile', () => {
  it('describes the public-image services and says there is no Dockerfile', async () => {
    const md = await render('no-dockerfile');
    golden('no-dockerfile.md', md);
    expect(sections(md).map((s) => s.title)).toEqual(SECTION_TITLES);
    expect(md).toContain('No Dockerfile in the repository: every service runs a public image (above).');
    expect(md).toContain('### Proxy (`nginxinc/nginx-unprivileged:1.27-alpine`)');
    // The unprivileged nginx image's user comes from base-image knowledge, redis's is not known to be non-root.
    expect(md).toContain('| Non-root user | `nginx` (UID 101, image default) | Implemented |');
    expect(md).toMatch(/### Cache \(`redis:7-alpine`\)[\s\S]*\| Non-root user \| [^|]+ \| Unknown \|/);
  });
});
