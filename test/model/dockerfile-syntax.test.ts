/**
 * src/parse/dockerfile-syntax.ts replaces dockerfile-ast (0.7.1, a dev dependency kept as this test's
 * oracle) at run time. It must give exactly what dockerfile-ast gives for everything
 * src/parse/dockerfile.ts reads: compared here, field by field (values and ranges of directives,
 * comments, instructions, flags, arguments, argument texts, ARG/ENV properties, JSON strings, FROM
 * parts), on the repository's Dockerfiles, the shared corpus (when present) and random Dockerfiles full
 * of escapes, continuation lines, comments, CRs, heredocs, JSON arrays, quotes and flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Arg, DockerfileParser, type Env, type From, type ModifiableInstruction, type Property } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import type { Range } from '../../src/model/dockerfile.js';
import { type DockerfileSyntax, type PropertySyntax, parseDockerfileSyntax } from '../../src/parse/dockerfile-syntax.js';
import { prng } from '../prng.js';
import { dockerfilesUnder } from '../dockerfile-files.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CORPUS = resolve(ROOT, process.env.SEAWORTHY_CORPUS ?? join('..', 'shared', 'corpus'));

type LspRange = { start: { line: number; character: number }; end: { line: number; character: number } };
const toRange = (r: LspRange): Range => ({
  line: r.start.line + 1,
  column: r.start.character + 1,
  endLine: r.end.line + 1,
  endColumn: r.end.character + 1,
});

const property = (p: Property): PropertySyntax => {
  const v = p.getValueRange();
  return {
    name: p.getName(),
    value: p.getValue(),
    range: toRange(p.getRange()),
    nameRange: toRange(p.getNameRange()),
    valueRange: v ? toRange(v) : null,
  };
};

/** What dockerfile-ast gives, through the accessors src/parse/dockerfile.ts used to call. */
function oracle(text: string): DockerfileSyntax {
  const ast = DockerfileParser.parse(text);
  return {
    escapeChar: ast.getEscapeCharacter(),
    directives: ast.getDirectives().map((d) => ({ name: d.getName(), value: d.getValue(), range: toRange(d.getRange()) })),
    comments: ast.getComments().map((c) => ({ content: c.getContent(), range: toRange(c.getRange()) })),
    instructions: ast.getInstructions().map((ins) => {
      const keyword = ins.getKeyword();
      const from = ins as From;
      const imageRange = keyword === 'FROM' ? from.getImageRange() : null;
      const argProperty = keyword === 'ARG' ? (ins as Arg).getProperty() : null;
      return {
        keyword,
        range: toRange(ins.getRange()),
        keywordRange: toRange(ins.getInstructionRange()),
        flags:
          'getFlags' in ins
            ? (ins as ModifiableInstruction)
                .getFlags()
                .map((f) => ({ name: f.getName(), value: f.getValue(), range: toRange(f.getRange()) }))
            : [],
        args: ins.getArguments().map((a) => ({ value: a.getValue(), range: toRange(a.getRange()) })),
        argsText: ins.getRawArgumentsContent(),
        argsContent: keyword === 'USER' || keyword === 'WORKDIR' ? ins.getArgumentsContent() : null,
        properties: keyword === 'ARG' || keyword === 'ENV' ? (ins as Env).getProperties().map(property) : [],
        property: argProperty ? property(argProperty) : null,
        jsonStrings:
          'getJSONStrings' in ins
            ? (ins as unknown as { getJSONStrings(): { getRange(): LspRange }[] }).getJSONStrings().map((s) => toRange(s.getRange()))
            : [],
        from:
          keyword === 'FROM'
            ? {
                image: from.getImage(),
                imageRange: imageRange ? toRange(imageRange) : null,
                buildStage: from.getBuildStage(),
                platform: from.getPlatformFlag()?.getValue() ?? null,
              }
            : null,
      };
    }),
  };
}

function agree(text: string, label: string): void {
  expect(parseDockerfileSyntax(text), label).toStrictEqual(oracle(text));
}


// Pieces of instruction bodies: whitespace, escapes and continuations of both escape characters,
// line ends of every kind, comments, quotes, variables, flags, JSON, heredoc openers and delimiters.
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
  '` \r\n',
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
const RICH_PIECES = [
  ...PIECES,
  '\\\n  # c\n',
  '\\\n\n',
  '\\\r\n\r\n  ',
  '`\n# x=y\n',
  '\\\n#\n',
  ' \\\n',
  '\\  \n',
  '\\\\',
  '\\"',
  '\\ ',
  '\\\t',
  '\\#',
  '<<EOF',
  '<<-EOF',
  '<<"EOF"',
  "<<'EOF'",
  '<<-"E O"',
  '<<',
  '<<<EOF',
  '<\\\n<EOF',
  'EOF',
  '\nEOF\n',
  '\n\tEOF\n',
  '\r\nEOF\r\n',
  '\nEOF',
  ' EOF',
  '["a", "b c"]',
  '[ "x" ]',
  '[]',
  '[ ]',
  '["sh", "-c", "echo \\"hi\\""]',
  '["a",\\\n "b"]',
  '["a" "b"]',
  "['a']",
  '"\\\\"',
  '["\\ \n x"]',
  '--mount=type=cache,target=/root/.cache',
  '--mount=type=secret,id=x',
  '--platform=$BUILDPLATFORM',
  '--chown=1:1',
  '--chmod=755',
  '--from',
  '--=',
  '--interval=5s',
  '--x=',
  'a--b',
  '--',
  'CMD',
  'NONE',
  'cmd',
  'A=B',
  'A="b c"',
  "A='b c'",
  'A=',
  '="x"',
  '"A"=b',
  "'A'=b",
  'A="b\\"c"',
  'A=b\\ c',
  '${X:-y z}',
  '${X}',
  '${',
  '}',
  '${"a b"}',
  'AS',
  'as',
  'stage',
  'img:1.0@sha256:abc',
  'localhost:5000/img',
  'ONBUILD',
  'RUN',
  '\u00a0',
  '\ufeff',
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
const RICH_KEYWORDS = [
  ...KEYWORDS,
  'HEALTHCHECK',
  'HEALTHCHECK --interval=5s CMD',
  'HEALTHCHECK NONE',
  'ONBUILD COPY',
  'ONBUILD ADD',
  'ONBUILD',
  'from',
  'Env',
  'arg',
  'RU\\\nN',
  'R\\UN',
  'RUN\\',
  'RUN\\ ',
  'FROM --platform=linux/amd64',
  'COPY --from=build',
  'RUN --mount=type=cache,target=/x',
  'X',
  '\\',
];
const LINES = ['', ' ', '# comment', '  # indented', '#', 'EOF', '\tEOF', '  EOF', '\\', '`'];
const DIRECTIVES = [
  '# escape=`',
  '# escape=\\',
  '#escape=`',
  '# ESCAPE = ` ',
  '# escape=x',
  '# syntax=docker/dockerfile:1',
  '# check=skip=all',
  '#  = x',
  '# escape',
  '\ufeff# escape=`',
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

/** Richer: directives, heredocs with their bodies, JSON forms, properties, flags, bare lines between instructions. */
function richDockerfile(next: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const lines: string[] = [];
  const directives = Math.floor(next() * next() * 4);
  for (let i = 0; i < directives; i++) lines.push(pick(DIRECTIVES));
  const n = 1 + Math.floor(next() * 8);
  for (let i = 0; i < n; i++) {
    if (next() < 0.25) {
      lines.push(pick(LINES));
      continue;
    }
    let body = next() < 0.1 ? '' : ' ';
    const len = Math.floor(next() * 12);
    for (let j = 0; j < len; j++) body += pick(RICH_PIECES) + (next() < 0.5 ? ' ' : '');
    lines.push(`${next() < 0.1 ? '  ' : ''}${pick(RICH_KEYWORDS)}${body}`);
    if (body.includes('<<') && next() < 0.7) {
      // a heredoc body, its delimiter (perhaps tab-indented) and maybe a second one
      const body2 = Math.floor(next() * 3);
      for (let j = 0; j < body2; j++) lines.push(pick(['echo hi', '  x \\', '# not a comment', '']));
      lines.push(pick(['EOF', '\tEOF', 'E O', 'EOF ', 'EOF']));
    }
  }
  const eol = pick(['\n', '\n', '\r\n', '\r']);
  return lines.join(eol) + (next() < 0.5 ? eol : '');
}

describe('Dockerfile syntax', () => {
  it('matches dockerfile-ast on the repository Dockerfiles', () => {
    const files = [...dockerfilesUnder(join(ROOT, 'examples')), ...dockerfilesUnder(join(ROOT, 'test', 'fixtures'))];
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) agree(readFileSync(f, 'utf8'), f);
  });

  it.runIf(existsSync(CORPUS))(
    'matches dockerfile-ast on the shared corpus',
    () => {
      const files = dockerfilesUnder(CORPUS);
      expect(files.length).toBeGreaterThan(100);
      for (const f of files) agree(readFileSync(f, 'utf8'), f);
    },
    60_000,
  );

  it('matches dockerfile-ast on 5000 random Dockerfiles', () => {
    const next = prng(20261129);
    for (let i = 0; i < 5000; i++) {
      const text = randomDockerfile(next);
      agree(text, JSON.stringify(text));
    }
  }, 60_000);

  it('matches dockerfile-ast on 10000 random Dockerfiles with heredocs, JSON, properties, flags and directives', () => {
    const next = prng(7);
    for (let i = 0; i < 10000; i++) {
      const text = richDockerfile(next);
      agree(text, JSON.stringify(text));
    }
  }, 120_000);

  it('matches dockerfile-ast on edge cases', () => {
    for (const text of [
      '',
      '\n',
      '\ufeff',
      '\ufeffFROM a',
      '# escape=`\r\nFROM a\r\nRUN a `\r\n  b\r\n',
      '# escape=`\rFROM a\rRUN a `\r  b\r',
      'FROM a\nRUN <<EOF\necho hi\nEOF\nRUN x',
      'FROM a\nRUN <<-EOF cat >/x\n\techo hi\n\tEOF\n',
      'FROM a\nCOPY <<A <<B /dst/\na\nA\nb\nB\n',
      'FROM a\nONBUILD RUN <<EOF\nx\nEOF\n',
      'FROM a\nENV A=1 B="2 3" C=\'4\'\nENV D 5 6 7\nARG E\nARG F=\nARG G=x H=y\n',
      'FROM a\nENV A=1 \\\n  # comment\n  B=2\n',
      'FROM a\nRUN ["sh", "-c", "echo \\"$X\\""]\nCMD [ "a" , \\\n "b" ]\nENTRYPOINT []\n',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM build as final\n',
      'FROM a\nHEALTHCHECK --interval=5s --timeout=3s CMD curl -f http://x/ || exit 1\n',
      'FROM a\nRUN --mount=type=cache,target=/root/.cache \\\n    --mount=type=secret,id=tok pip install x\n',
      'FROM a\nRUN a \\\n\n  b \\ \n# c\n  c\n',
      'RUN',
      'RUN ',
      'RUN \\',
      'RUN a\\',
      'ENV',
      'ENV A\\',
      '#',
      '# escape=`\n# escape=\\\nFROM a',
      // Not made by the generators: a second directive on the directive line (dockerfile-ast then
      // starts the instructions a line later: `FROM a` is skipped), a lone-CR line end after a
      // directive (the next line's `#` is stepped over), ONBUILD and lowercase triggers of heredocs,
      // one delimiter named twice, JSON escapes, continued USER, quotes in `${…}`, a comment line
      // inside a keyword, two BOMs.
      '# a=b #escape=`\nFROM a\nRUN x`\n y\n',
      '# a=b\r# escape=`\rFROM a\r',
      'FROM a\nonbuild run <<EOF\nz\nEOF\nRUN q',
      'FROM a\nONBUILD COPY --from=x <<EOF /y\nz\nEOF\nRUN q',
      'RUN <<EOF <<EOF\na\nEOF\nb\nEOF\nRUN x',
      'RUN \\<<EOF\nx\nEOF\n',
      'FROM a\nRUN ["a\\u0041", "\\/", "\\t"]\nCMD ["a", "b"] c\n',
      'FROM a\nUSER \\\n\troot \\\n  :grp\n',
      'ENV a="${"b c"}" b=${c d}\n',
      'R\\\n# c\nUN a',
      '\ufeff\ufeffFROM a',
    ]) {
      agree(text, JSON.stringify(text));
    }
  });

  // A hang or a quadratic scan would not be caught per file by the CLI (a throw would): inputs of
  // 0.5-1 MB that a scan going back over its line or its instruction would take minutes on.
  it('scans adversarial inputs in linear time', () => {
    for (const text of [
      `RUN a${'\\\n'.repeat(250_000)}`,
      '\\\n'.repeat(100_000),
      `RUN ${'a '.repeat(250_000)}`,
      `ENV ${'"a b" '.repeat(100_000)}`,
      `ENV a=b\\\n${'  # c\n  x\\\n'.repeat(50_000)}`,
      `USER a${' \\\n b'.repeat(100_000)}`,
      `RUN a \\\n${'# c\n'.repeat(200_000)}b`,
      `FROM a\n${'RUN <<A\nA\n'.repeat(50_000)}`,
      `RUN ${'<<EOF '.repeat(50_000)}\n${'x\n'.repeat(100_000)}`,
      `CMD [${'"a",\\\n'.repeat(100_000)}"b"]`,
      `# escape=\`\nRUN a${'`\r\n'.repeat(200_000)}`,
    ]) {
      const syntax = parseDockerfileSyntax(text);
      expect(syntax.instructions.length).toBeGreaterThan(0);
    }
  }, 20_000);
});
