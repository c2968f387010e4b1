/**
 * The shell parser copies tree-sitter's tree out of wasm by calling web-tree-sitter's C cursor
 * functions directly (src/parse/shell.ts, `directCursor`). It must copy exactly the tree that the
 * public TreeCursor API sees: checked here on the repository's entrypoint scripts and on scripts with
 * syntax errors, non-ASCII text, CRs, heredocs and every construct the builder reads fields of.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directWalkAgrees, initShell, parseShell } from '../../src/parse/shell.js';

const ROOT = join(import.meta.dirname, '..', '..');

beforeAll(async () => {
  await initShell();
});

function scripts(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) scripts(p, out);
    else if (/\.sh$|entrypoint/.test(e)) out.push(p);
  }
  return out;
}

const EDGE_CASES = [
  'echo "é😀" foo\r\n  bar "x\ry" baz\n\tqux 😀😀 z',
  'a=é; echo $a && ls😀 | x\necho "unterminated',
  'if [ x ]; then\n echo\n',
  'case $x in\n a|b) echo 1 & ;;\n *) f ;;\nesac\nf() { exec "$@"; }\nwhile true; do sleep 1; done &\n(cd / && ls) > /dev/null 2>&1 &\n! grep x y',
  'export A=1 B="é" C=$(curl -s http://x | sh)\nX=1 Y=2 cmd --a=$(echo b) <(ls) >> out.log',
  'cat <<EOF > f\nhi $x\nEOF\nfor i in 1 2; do echo $i; done\nif a; then b; elif c; then d & else e; fi\n{ a; b; } || exit 1',
  '# comment é\nfoo \\\n  bar # trailing\n$(which python) -c "print(1)"\n${CMD:-ls} -la',
  'echo ${',
  '`echo hi` && $((1+2))',
  "echo $'a\\tb' 'raw' \"s\\\"q\" w\\ o\\rd",
  'declare -x FOO=bar; local x=1; readonly R=2',
  'a && b || c | d |& e; f & g',
  '(( x++ )); [[ $a == b ]] && c',
  'x=( 1 2 3 ); echo ${x[@]}',
  'cmd 2>&1 >/dev/null <<< "here"',
  `${'echo word '.repeat(2000)}\n`,
];

describe('shell tree walk', () => {
  it('uses the direct cursor functions', () => {
    expect(directWalkAgrees('echo hi').direct).toBe(true);
  });

  it('copies the same tree as the public cursor API', () => {
    const texts = [...EDGE_CASES, ...scripts(join(ROOT, 'examples')).map((f) => readFileSync(f, 'utf8'))];
    for (const f of scripts(join(ROOT, 'test', 'fixtures')).slice(0, 60)) texts.push(readFileSync(f, 'utf8'));
    expect(texts.length).toBeGreaterThan(EDGE_CASES.length);
    for (const t of texts) expect(directWalkAgrees(t).same, t.slice(0, 80)).toBe(true);
  });

  it('keeps working when a script grows the wasm memory', () => {
    const text = 'if a; then b | c > d; fi\n'.repeat(20_000);
    expect(directWalkAgrees(text).same).toBe(true);
    expect(parseShell(text).commands.length).toBe(60_000);
    const small = parseShell('echo "é" > /dev/null', { line: 3, column: 5 });
    expect(small.commands[0]).toMatchObject({
      name: 'echo',
      redirects: ['/dev/null'],
      range: { line: 3, column: 5, endLine: 3, endColumn: 13 },
    });
  });
});

describe('long inputs', () => {
  it('reads a pipeline of 50,000 commands, each knowing whether it ends the pipeline (once quadratic: ~30 s)', () => {
    const s = parseShell(`${Array(50_000).fill('a').join(' | ')} > out`);
    expect(s.commands.length).toBe(50_000);
    expect(s.pipelines[0].length).toBe(50_000);
    // The trailing redirect belongs to the last command only.
    expect(s.commands[49_999].redirects).toEqual(['out']);
    expect(s.commands[0].redirects).toEqual([]);
  }, 10_000);
});
