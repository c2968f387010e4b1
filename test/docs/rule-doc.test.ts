import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeBlock, inlineCode, languageFor, renderCatalogue, renderDocsTree, renderRuleDoc } from '../../src/docs/rule-doc.js';
import { diffDocs, isFresh, writeDocs } from '../../src/docs/sync.js';
import { META_NON_ROOT, META_PINNED, META_SECRETS, METAS } from '../format/fixtures.js';

describe('renderRuleDoc', () => {
  const doc = renderRuleDoc(META_NON_ROOT);

  it('has title, id, severity, family, env, aliases, rationale and fix', () => {
    expect(doc).toContain('# dockerfile/non-root-user: Run the image as a non-root user\n');
    expect(doc).toContain('- **ID:** `dockerfile/non-root-user`\n');
    expect(doc).toContain('- **Severity:** high (SARIF level `error`, security-severity 8.0)\n');
    expect(doc).toContain('- **Family:** dockerfile\n');
    expect(doc).toContain('- **Judged in:** every environment\n');
    expect(doc).toContain('- **Aliases:** `DL3002`, `CKV_DOCKER_8`\n');
    expect(doc).toContain(`## Why it matters\n\n${META_NON_ROOT.rationale}\n`);
    expect(doc).toContain(`## How to fix\n\n${META_NON_ROOT.fix}\n`);
    expect(renderRuleDoc(META_SECRETS)).toContain('- **Judged in:** production environment only\n');
    expect(renderRuleDoc(META_SECRETS)).toContain('- **Aliases:** none\n');
  });

  it('shows the examples in fenced blocks with their file names, extra files included', () => {
    expect(doc).toContain('### Fails\n\n`Dockerfile`:\n\n```dockerfile\nFROM python:3.12-slim\nCMD ["python", "app.py"]\n```\n');
    expect(doc).toContain('### Passes\n\n`Dockerfile`:\n\n```dockerfile\nFROM python:3.12-slim\nRUN useradd');
    expect(doc).toContain('`.dockerignore`:\n\n```text\n.env\n.git\n```\n');
    expect(renderRuleDoc(META_SECRETS)).toContain('`docker-compose.yml`:\n\n```yaml\nservices:');
  });

  it('fences content that itself holds backticks', () => {
    expect(codeBlock('a ``` b')).toBe('````\na ``` b\n````');
    expect(inlineCode('x`y')).toBe('`` x`y ``');
    expect(languageFor('deploy/api.Dockerfile')).toBe('dockerfile');
    expect(languageFor('entrypoint.sh')).toBe('sh');
    expect(languageFor('.env.example')).toBe('dotenv');
  });
});

describe('renderCatalogue', () => {
  it('has a table row per rule linking to its page, grouped by family', () => {
    const cat = renderCatalogue(METAS);
    expect(cat).toContain(
      '| [`dockerfile/non-root-user`](dockerfile/non-root-user.md) | high | all | Run the image as a non-root user | `DL3002`, `CKV_DOCKER_8` |',
    );
    expect(cat).toContain('| [`secrets/no-default-in-prod`](secrets/no-default-in-prod.md) | high | prod |');
    expect(cat.indexOf('## Dockerfile')).toBeLessThan(cat.indexOf('## Secrets'));
    expect(cat).toContain('3 rules.');
  });

  it('escapes pipes in cells', () => {
    expect(renderCatalogue([{ ...META_PINNED, title: 'a | b' }])).toContain('| a \\| b |');
  });
});

describe('writeDocs / diffDocs', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes pages, reports drift and deletes stale pages', () => {
    dir = mkdtempSync(join(tmpdir(), 'seaworthy-docs-'));
    expect(diffDocs(dir, METAS).missing).toEqual([...renderDocsTree(METAS).keys()].sort());
    writeDocs(dir, METAS);
    expect(isFresh(diffDocs(dir, METAS))).toBe(true);
    expect(readFileSync(join(dir, 'dockerfile/non-root-user.md'), 'utf8')).toBe(renderRuleDoc(META_NON_ROOT));

    writeFileSync(join(dir, 'dockerfile/pinned-base.md'), 'hand edit');
    mkdirSync(join(dir, 'gone'));
    writeFileSync(join(dir, 'gone/old-rule.md'), 'x');
    expect(diffDocs(dir, METAS)).toEqual({ missing: [], changed: ['dockerfile/pinned-base.md'], stale: ['gone/old-rule.md'] });

    writeDocs(dir, [META_NON_ROOT, META_PINNED]);
    expect(isFresh(diffDocs(dir, [META_NON_ROOT, META_PINNED]))).toBe(true);
    expect(existsSync(join(dir, 'secrets'))).toBe(false);
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  });
});
