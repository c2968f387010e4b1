import { describe, expect, it } from 'vitest';
import { buildIgnoreIndex, findSuppression, forDockerfile, type IgnoreComment } from '../../src/engine/ignores.js';

/** Hand-built file: comments at the given lines, instructions at the given [line, endLine]. */
function index(comments: [number, string][], statements: [number, number][], file = 'Dockerfile') {
  const cs: IgnoreComment[] = comments.map(([line, text]) => ({
    text,
    range: { line, column: 1, endLine: line, endColumn: text.length + 1 },
  }));
  return buildIgnoreIndex(file, cs, statements.map(([line, endLine]) => ({ line, endLine })));
}
const at = (line: number, file = 'Dockerfile') => ({ file, line });

describe('seaworthy-ignore', () => {
  it('suppresses the listed rules on the next instruction, recording the reason', () => {
    const ix = index(
      [[2, '# seaworthy-ignore dockerfile/no-sudo,dockerfile/pipefail -- vendor script needs sudo']],
      [[1, 1], [3, 5], [6, 6]],
    );
    expect(ix.warnings).toEqual([]);
    const s = findSuppression(ix, 'dockerfile/no-sudo', at(4));
    expect(s).toMatchObject({ reason: 'vendor script needs sudo', source: 'inline', lines: { line: 3, endLine: 5 } });
    expect(findSuppression(ix, 'dockerfile/pipefail', at(3))).toBeDefined();
    expect(findSuppression(ix, 'dockerfile/no-sudo', at(6))).toBeUndefined();
    expect(findSuppression(ix, 'dockerfile/no-sudo', at(1))).toBeUndefined();
    expect(findSuppression(ix, 'dockerfile/non-root-user', at(3))).toBeUndefined();
    expect(findSuppression(ix, 'dockerfile/no-sudo', at(3, 'other/Dockerfile'))).toBeUndefined();
  });

  it('accepts comment lines between the pragma and the instruction, and text without #', () => {
    const ix = index(
      [
        [1, 'seaworthy-ignore dockerfile/no-sudo'],
        [2, '# explained elsewhere'],
      ],
      [[3, 3]],
    );
    expect(findSuppression(ix, 'dockerfile/no-sudo', at(3))?.reason).toBe('no reason given');
  });

  it('accepts spaces after commas and an empty reason', () => {
    const ix = index([[1, '#seaworthy-ignore dockerfile/no-sudo, dockerfile/pipefail --']], [[2, 2]]);
    expect(findSuppression(ix, 'dockerfile/pipefail', at(2))?.reason).toBe('no reason given');
  });

  it('does not reach past a blank line, and says so', () => {
    const ix = index([[1, '# seaworthy-ignore dockerfile/no-sudo -- x']], [[3, 3]]);
    expect(findSuppression(ix, 'dockerfile/no-sudo', at(3))).toBeUndefined();
    expect(ix.warnings).toHaveLength(1);
    expect(ix.warnings[0]).toMatchObject({ file: 'Dockerfile', line: 1 });
  });

  it('warns about unknown rule ids but keeps the known ones', () => {
    const ix = index([[1, '# seaworthy-ignore dockerfile/no-sudo,dockerfile/nope,DL3002 -- x']], [[2, 2]]);
    expect(findSuppression(ix, 'dockerfile/no-sudo', at(2))).toBeDefined();
    expect(ix.warnings.map((w) => w.line)).toEqual([1, 1]);
    expect(ix.warnings[0].message).toContain("'dockerfile/nope'");
    expect(ix.warnings[1].message).toContain('dockerfile/non-root-user');
  });

  it('is not fooled by look-alike comments', () => {
    const ix = index(
      [
        [1, '# see seaworthy-ignore dockerfile/no-sudo'],
        [2, '# seaworthy-ignored dockerfile/no-sudo'],
      ],
      [[3, 3]],
    );
    expect(ix.suppressions).toEqual([]);
  });

  it('attaches a trailing pragma (YAML) to the statement on its line', () => {
    const ix = buildIgnoreIndex(
      'compose.yaml',
      [{ text: ' seaworthy-ignore dockerfile/no-sudo -- yaml', range: { line: 4, column: 22 } }],
      [
        { line: 3, endLine: 5, column: 3 },
        { line: 4, endLine: 4, column: 5 },
      ],
    );
    expect(findSuppression(ix, 'dockerfile/no-sudo', at(4, 'compose.yaml'))?.lines).toEqual({ line: 4, endLine: 4 });
    expect(findSuppression(ix, 'dockerfile/no-sudo', at(5, 'compose.yaml'))).toBeUndefined();
  });
});

describe('seaworthy-ignore-file', () => {
  it('suppresses the rules in the whole file', () => {
    const ix = index([[9, '# seaworthy-ignore-file dockerfile/healthcheck -- worker, no port']], [[1, 1], [20, 20]]);
    expect(findSuppression(ix, 'dockerfile/healthcheck', at(1))).toMatchObject({
      lines: null,
      reason: 'worker, no port',
      source: 'inline',
    });
    expect(findSuppression(ix, 'dockerfile/healthcheck', at(20))).toBeDefined();
    expect(ix.warnings).toEqual([]);
  });

  it('warns when it names no rule', () => {
    const ix = index([[1, '# seaworthy-ignore-file -- everything']], [[2, 2]]);
    expect(ix.suppressions).toEqual([]);
    expect(ix.warnings).toHaveLength(1);
  });
});

describe('hadolint', () => {
  it('maps ignore=CODES to rules by alias, for the next instruction', () => {
    const ix = index([[1, '# hadolint ignore=DL3002,DL3008, DL3015']], [[2, 2], [3, 3]]);
    expect(findSuppression(ix, 'dockerfile/non-root-user', at(2))).toMatchObject({ source: 'hadolint', reason: 'no reason given' });
    expect(findSuppression(ix, 'dockerfile/no-install-recommends', at(2))).toBeDefined();
    expect(findSuppression(ix, 'dockerfile/non-root-user', at(3))).toBeUndefined();
    expect(ix.warnings).toEqual([]); // DL3008 has no seaworthy rule: hadolint's business
  });

  it('global ignore covers the whole file', () => {
    const ix = index([[1, '# hadolint global ignore=DL3002']], [[5, 5]]);
    expect(findSuppression(ix, 'dockerfile/non-root-user', at(5))).toMatchObject({ source: 'hadolint', lines: null });
  });

  it('ignores codes no rule lists', () => {
    const ix = index([[1, '# hadolint ignore=DL3008']], [[2, 2]]);
    expect(ix.suppressions).toEqual([]);
  });
});

describe('checkov', () => {
  it('skips the rules listing the alias in the whole file, with the reason', () => {
    const ix = index([[12, '# checkov:skip=CKV_DOCKER_8: nginx drops privileges itself']], [[1, 1], [30, 30]]);
    expect(findSuppression(ix, 'dockerfile/non-root-user', at(1))).toMatchObject({
      source: 'checkov',
      lines: null,
      reason: 'nginx drops privileges itself',
    });
  });

  it('expands alias ranges (CKV2_DOCKER_2..16)', () => {
    const ix = index([[1, '# checkov:skip=CKV2_DOCKER_7']], [[2, 2]]);
    expect(findSuppression(ix, 'dockerfile/tls-verification', at(2))?.reason).toBe('no reason given');
    const none = index([[1, '# checkov:skip=CKV2_DOCKER_17']], [[2, 2]]);
    expect(findSuppression(none, 'dockerfile/tls-verification', at(2))).toBeUndefined();
  });
});

describe('precedence and forDockerfile', () => {
  it('prefers a seaworthy line pragma over file-level and peer pragmas', () => {
    const ix = index(
      [
        [1, '# checkov:skip=CKV_DOCKER_3: checkov'],
        [2, '# hadolint global ignore=DL3002'],
        [3, '# seaworthy-ignore-file dockerfile/non-root-user -- file'],
        [5, '# seaworthy-ignore dockerfile/non-root-user -- line'],
      ],
      [[4, 4], [6, 6]],
    );
    expect(findSuppression(ix, 'dockerfile/non-root-user', at(6))?.reason).toBe('line');
    expect(findSuppression(ix, 'dockerfile/non-root-user', at(4))?.reason).toBe('file');
  });

  it('builds from a Dockerfile model', () => {
    const r = (line: number, endLine = line) => ({ line, column: 1, endLine, endColumn: 10 });
    const ix = forDockerfile({
      path: 'app/Dockerfile',
      comments: [{ text: ' seaworthy-ignore dockerfile/no-sudo -- legacy', range: r(2) }],
      instructions: [
        { keyword: 'FROM', range: r(1), keywordRange: r(1), argsText: '', flags: [], args: [], stage: 0 },
        { keyword: 'RUN', range: r(3, 4), keywordRange: r(3), argsText: '', flags: [], args: [], stage: 0 },
      ],
    });
    expect(findSuppression(ix, 'dockerfile/no-sudo', { file: 'app/Dockerfile', line: 4 })?.reason).toBe('legacy');
  });
});
