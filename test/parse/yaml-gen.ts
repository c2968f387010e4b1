/**
 * Random YAML documents for holding the YAML scanner (src/parse/yaml-scan.ts) to yaml's composer:
 * block mappings and sequences, compact mappings, scalars of every style and type, flow sequences,
 * block scalars, comments and blank lines at every indent, anchors, aliases and `<<` merge keys
 * (mostly of anchors defined before them, on maps where merged), and near misses (a character dropped,
 * added or replaced, a line indented one column off) that must either be read exactly or be left to
 * yaml. Deterministic for a seed.
 */
import { prng } from '../prng.js';

const KEYS = [
  'services',
  'image',
  'ports',
  'environment',
  'a',
  'b',
  'c',
  'x',
  'web',
  'db',
  'test',
  'command',
  'true',
  'false',
  'null',
  '~',
  '1',
  '0x10',
  '1.5',
  '-1',
  'yes',
  'on',
  '.inf',
  '.nan',
  '1e3',
  '0o7',
  'a b',
  'x:y',
  'http://h',
  '-x',
  'a#b',
  'k ',
  '<<',
  '?x',
  ':x',
  'a:',
  'é',
  'key\u00a0',
  '\u00a0k',
  '"q"',
  "'s'",
  '"a b"',
  "'it''s'",
  '""',
  "''",
  '"1"',
  '"\\u0041"',
  '"x\\"y"',
  '"t\\tq"',
  '"bad\\q"',
];

const PLAINS = [
  'nginx:latest',
  '8080:80',
  '"8080:80"',
  '127.0.0.1:5432:5432',
  'value',
  'two words',
  'x',
  '0',
  '1',
  '-1',
  '+1',
  '0x1F',
  '0o17',
  '017',
  '1_000',
  '1.5',
  '-.5e3',
  '.inf',
  '-.Inf',
  '.NaN',
  '1e3',
  '12e',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'no',
  'null',
  'Null',
  'NULL',
  '~',
  '- x',
  '-x',
  '--flag',
  'a: b',
  'a:b',
  'a:',
  'b #c',
  'b#c',
  'x # y',
  'http://example.com/a?b=c#frag',
  '${VAR:-default}',
  '$${x}',
  '[a',
  ']a',
  '{a',
  'a[b]',
  'a{b}',
  'a,b',
  ',a',
  '%x',
  '@x',
  '`x`',
  '!x',
  '!!str x',
  '&a x',
  '*a',
  '|x',
  '>x',
  '?x',
  '? x',
  ':x',
  'é',
  '日本',
  'a\u00a0',
  '\u00a0a',
  'a\u2028b',
  'a\u0085',
  'a\u3000',
  '0.0.0.0',
  '1.2.3',
  '2001-12-14',
  "'single'",
  "'it''s'",
  "''",
  "'a # b'",
  "'unterminated",
  '"double"',
  '""',
  '"esc \\" q"',
  '"a\\nb"',
  '"\\x41\\u00e9\\U0001F600"',
  '"\\xZZ"',
  '"\\q"',
  '"\\/\\\\"',
  '"\\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\\ "',
  '"\\U00110000"',
  '"a # b"',
  '"unterminated',
  '"x" y',
  "'x' y",
  '"x"#c',
  '"x":',
  '"k": v',
];

const FLOW_ITEMS = [
  'a',
  'CMD',
  'curl',
  '-f',
  'http://localhost:8080',
  '"CMD-SHELL"',
  "'x'",
  '1',
  '2.5',
  'true',
  'null',
  '~',
  '',
  'a b',
  'a:b',
  'a: b',
  'a:',
  '- a',
  '-',
  '#x',
  'a #x',
  'a#x',
  '[b]',
  '{b}',
  '*x',
  '&x y',
  '!t x',
  '"q,r"',
  "'s]'",
  '"\\"',
  ',',
  'é',
  ' ',
  '?',
  ':',
  '"a"b',
];

/** Pieces of the lines of double-quoted scalars over lines. */
const DQ_WORDS = [
  '${MONGO_URL:-',
  'mongodb://host:27017/',
  'two words',
  'x',
  '',
  'a  b',
  "it's",
  '# not a comment',
  '\\t tab',
  '\\"q\\"',
  '\\x41\\u00e9',
  '\\q',
  '"',
  'a: b',
  '- x',
  '---',
  '\u00a0',
];

const BLOCK_LINES = [
  'echo hi',
  'echo hi # not a comment',
  '# not a comment either',
  '',
  '  more indented',
  'x: y',
  '- z',
  'a  b',
  '   ',
  "it's",
  '"q"',
];

const COMMENTS = ['# comment', '#', '#no space', '# seaworthy-ignore compose/no-privileged', '# trailing  ', '# é', '#\u00a0'];
/** Comments with tabs (read by the scanner only inside comments). */
const TAB_COMMENTS = ['#\ttab', '# a\tb\t', '#\t'];

const NASTY = [
  ' ',
  '  ',
  '#',
  ':',
  '-',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '&',
  '*',
  '!',
  '|',
  '>',
  '?',
  '%',
  '@',
  '\t',
  '\r',
  '\n',
  '\u00a0',
  '\ufeff',
  '\\',
  'x',
  '---',
  '...',
  '<<',
];

/** Anchor names: those read by the scanner, then ones yaml reads that it leaves to yaml, or errors. */
const NAMES = ['a', 'b', 'base', 'x-y', 'd.e', 'A_1', 'a:', 'a#b', 'é', 'a/b', '', 'a]'];

export function genYaml(seed: number): string {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => rnd() < p;
  const lines: string[] = [];
  // Half the documents are written only with what compose files hold, and are all valid YAML.
  const clean = chance(0.5);
  const keys = clean ? KEYS.slice(0, 26) : KEYS;
  const plains = clean ? PLAINS.slice(0, 24) : PLAINS;
  const flowItems = clean ? FLOW_ITEMS.slice(0, 11) : FLOW_ITEMS;
  const sp = (n: number) => ' '.repeat(n);
  const comment = () => (chance(0.08) ? pick(TAB_COMMENTS) : pick(COMMENTS));
  // Anchors on nodes read so far, in document order (those on maps apart), for aliases and merge keys
  // to use.
  const aliases = chance(0.5);
  const names = clean ? NAMES.slice(0, 6) : NAMES;
  const defined: string[] = [];
  const mapAnchors: string[] = [];
  const anchor = (done = true): string => {
    // Clean documents mostly give each anchor a name of its own (an alias inside the node anchored
    // with its name is endless).
    const name = clean && chance(0.8) ? `${pick(names)}${defined.length}` : pick(names);
    if (done) defined.push(name);
    return `&${name}`;
  };
  /** An alias, most often of an anchor defined before it. */
  const alias = (maps: boolean): string => {
    const from = maps && mapAnchors.length > 0 && chance(0.9) ? mapAnchors : defined;
    return `*${from.length > 0 && (clean || chance(0.9)) ? pick(from) : pick(names)}`;
  };

  const trailing = () => (chance(0.15) ? ` ${comment()}` : chance(0.05) ? sp(1 + int(3)) : '');
  const fillers = (indent: number) => {
    while (chance(0.25)) {
      if (chance(0.3)) lines.push(chance(0.2) ? sp(int(6)) : '');
      else lines.push(sp(Math.max(0, indent + int(9) - 4)) + comment());
    }
  };
  /** A flow sequence in a collection at `indent`: on one line, or (a third of them) over several. */
  const flowSeq = (indent: number): string[] => {
    if (chance(0.1)) return [chance(0.5) ? '[]' : '[ ]'];
    const n = 1 + int(4);
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = aliases ? rnd() : 1;
      items.push(r < 0.15 ? alias(false) : r < 0.25 ? `${anchor()} ${pick(flowItems)}` : pick(flowItems));
    }
    const comma = chance(0.8) ? ', ' : chance(0.5) ? ',' : ' , ';
    const open = chance(0.8) ? '[' : '[ ';
    if (chance(0.67)) {
      const close = chance(0.8) ? ']' : chance(0.5) ? ' ]' : ',]';
      return [open + items.join(comma) + close];
    }
    // Over several lines: breaks after `[`, after commas and before `]`, comment and blank lines
    // between, the items' lines deeper than the collection and the `]`'s at least as deep (or not).
    const inner = () => sp(clean || chance(0.9) ? indent + 1 + int(4) : Math.max(0, indent + int(3) - 1));
    const out: string[] = [];
    let line = open.trimEnd();
    const between = () => {
      while (chance(0.3)) out.push(chance(0.2) ? sp(int(6)) : sp(Math.max(0, indent + int(7) - 2)) + comment());
    };
    if (chance(0.5)) {
      out.push(line);
      between();
      line = inner();
    }
    for (let i = 0; i < n; i++) {
      line += items[i];
      if (i < n - 1) {
        line += comma.trimEnd();
        if (chance(0.6)) {
          out.push(line + (!clean && chance(0.1) ? ` ${comment()}` : ''));
          between();
          line = inner();
        } else line += comma.endsWith(' ') ? ' ' : '';
      }
    }
    const trailingComma = chance(0.5) ? ',' : '';
    if (chance(0.6)) {
      out.push(line + trailingComma);
      between();
      const at = clean || chance(0.9) ? indent + int(3) : Math.max(0, indent - 1);
      out.push(`${sp(at)}]`);
    } else out.push(`${line}${trailingComma}]`);
    return out;
  };
  const blockScalar = (indent: number) => {
    const header = pick(
      clean ? ['|', '|-', '>', '>-', '| # header'] : ['|', '|-', '|+', '>', '>-', '>+', '|2', '| # header', '>-  ', '|x'],
    );
    const out = [header];
    const inner = indent + 1 + int(4);
    const n = int(5);
    for (let i = 0; i < n; i++) {
      const l = pick(BLOCK_LINES);
      out.push(l === '' ? (chance(0.5) ? '' : sp(int(inner + 3))) : sp(chance(0.9) ? inner : Math.max(0, inner + int(5) - 2)) + l);
    }
    return out;
  };
  /** A double-quoted scalar over lines: folded lines, blank lines, escaped line breaks, escapes. */
  const dqLines = (indent: number): string[] => {
    const words = clean ? DQ_WORDS.slice(0, 8) : DQ_WORDS;
    const out = [`"${pick(words)}`];
    const n = 1 + int(3);
    for (let i = 0; i < n; i++) {
      if (chance(0.3)) out[out.length - 1] += chance(0.5) ? '\\' : ' ';
      if (chance(0.15)) out.push(chance(0.5) ? '' : sp(int(indent + 3)));
      const at = clean || chance(0.9) ? indent + 1 + int(8) : Math.max(0, indent - int(2));
      out.push(sp(at) + pick(words));
    }
    out[out.length - 1] += `"${trailing()}`;
    return out;
  };
  /** A value on the line of its key or `-`, and the lines after it (block scalars). */
  const inline = (indent: number, anchored = false): string[] => {
    if (aliases && !(anchored && clean)) {
      const a = rnd();
      if (a < 0.2 && (defined.length > 0 || (!clean && chance(0.05)))) return [alias(false) + trailing()];
      if (a < 0.32) {
        const name = anchor();
        const v = inline(indent, true);
        return [`${name}${chance(0.95) ? ' ' : sp(2)}${v[0]}`, ...v.slice(1)];
      }
    }
    const r = rnd();
    if (r < 0.55) return [pick(plains) + trailing()];
    if (r < 0.75) {
      const f = flowSeq(indent);
      f[f.length - 1] += trailing();
      return f;
    }
    if (r < 0.78) return [pick(clean ? ['{}', '{ }'] : ['{}', '{ }', '{a}', '{a: 1}', '{', '{}x', '{} #c', '{ } }']) + trailing()];
    if (r < 0.85) return blockScalar(indent);
    if (r < 0.9) return dqLines(indent);
    return [pick(plains)];
  };

  const map = (indent: number, depth: number, firstPrefix: string | null) => {
    const n = 1 + int(4);
    const used: string[] = [];
    for (let i = 0; i < n; i++) {
      let key = pick(keys);
      if (used.includes(key) && chance(0.9)) key = `${key}${i}`;
      used.push(key);
      const colon = chance(0.95) ? ':' : ' :';
      const prefix = i === 0 && firstPrefix !== null ? firstPrefix : sp(indent);
      if (i > 0) fillers(indent);
      if (aliases && chance(0.3) && (mapAnchors.length > 0 || (!clean && chance(0.05)))) {
        // A merge key: one source, a list of them, or a near miss.
        const m = rnd();
        const sources =
          m < 0.5
            ? alias(true)
            : m < 0.85 || clean
              ? `[${[alias(true), alias(true), alias(true)].slice(0, 1 + int(3)).join(chance(0.8) ? ', ' : ',')}]`
              : pick(['[]', alias(false), `${anchor()} ${alias(true)}`, '1', `[${alias(true)}, x]`, '{}']);
        lines.push(`${prefix}${clean || chance(0.9) ? '<<' : pick(['"<<"', "'<<'", '<< ', '<<<'])}: ${sources}${trailing()}`);
        continue;
      }
      entry(prefix + key + colon, indent, depth);
    }
    fillers(indent);
  };
  const seq = (indent: number, depth: number, firstPrefix: string | null) => {
    const n = 1 + int(4);
    for (let i = 0; i < n; i++) {
      const prefix = i === 0 && firstPrefix !== null ? firstPrefix : sp(indent);
      if (i > 0) fillers(indent);
      const dash = chance(0.9) ? '- ' : chance(0.5) ? '-   ' : '-';
      const r = rnd();
      if (r < 0.35 && depth < 4) {
        // compact mapping
        map(indent + dash.length, depth + 1, prefix + dash);
      } else if (r < 0.4 && depth < 4) {
        lines.push(prefix + dash.trimEnd() + trailing());
        nested(indent, depth);
      } else if (r < 0.45 && aliases && !clean && depth < 4) {
        // An anchor on a compact mapping's first key (left to yaml).
        map(indent + dash.length, depth + 1, `${prefix + dash + anchor()} `);
      } else {
        const v = inline(indent);
        lines.push(prefix + dash + v[0]);
        for (let j = 1; j < v.length; j++) lines.push(v[j]);
      }
    }
    fillers(indent);
  };
  const nested = (indent: number, depth: number, collection = false, noValue = false): 'map' | 'other' => {
    const before = lines.length;
    fillers(indent);
    if (clean && lines.slice(before).some((l) => l.includes('#'))) noValue = true;
    const r = collection ? rnd() * 0.8 : rnd();
    if (r < 0.45) map(indent + 1 + int(4), depth + 1, null);
    else if (r < 0.65) seq(indent + 1 + int(3), depth + 1, null);
    else if (r < 0.8) seq(indent, depth + 1, null);
    else if (r < 0.85)
      // A scalar alone on the next line: clean documents quote it (a plain one may go on over lines).
      lines.push(sp(indent + 2) + (clean && !noValue ? pick(['"8080:80"', "'x'", '"a b" # c', "''"]) : pick(plains)));
    else if (r < 0.92 && !noValue) {
      // A flow sequence alone on the lines after its key.
      const f = flowSeq(indent);
      const at = clean || chance(0.9) ? indent + 1 + int(3) : indent;
      lines.push(sp(at) + f[0], ...f.slice(1));
      lines[lines.length - 1] += trailing();
    }
    return r < 0.45 ? 'map' : 'other';
  };
  const entry = (head: string, indent: number, depth: number) => {
    const r = rnd();
    if (r < 0.55 || depth >= 4) {
      const v = inline(indent);
      lines.push(`${head}${chance(0.9) ? ' ' : sp(2 + int(3))}${v[0]}`);
      for (let j = 1; j < v.length; j++) lines.push(v[j]);
    } else if (aliases && chance(0.4)) {
      // An anchored nested block (or an anchored empty value).
      const name = anchor(false);
      lines.push(`${head} ${name}${trailing()}`);
      // An alias inside it (of itself, if the name is new) is endless.
      if (nested(indent, depth, clean) === 'map') mapAnchors.push(name.slice(1));
      defined.push(name.slice(1));
    } else {
      const tail = trailing();
      lines.push(head + tail);
      // A comment before a value on the next line is left to yaml: clean documents put none there.
      nested(indent, depth, false, clean && tail.includes('#'));
    }
  };

  fillers(0);
  if (chance(0.15)) {
    lines.push(clean ? pick(['---', '--- # start', '---   ']) : pick(['---', '--- # start', '---#x', '--- x', '---x', '...', '--- |']));
    fillers(0);
  }
  if (chance(0.8)) map(0, 0, null);
  else seq(0, 0, null);
  fillers(0);
  if (!clean && chance(0.05)) lines.push(pick(['---', '...', '--- a: 1', '- x']));

  // Near misses.
  if (!clean && chance(0.6)) {
    const k = 1 + int(3);
    for (let m = 0; m < k; m++) {
      const li = int(lines.length);
      const line = lines[li];
      const op = int(5);
      const at = int(line.length + 1);
      if (op === 0) lines[li] = line.slice(0, at) + pick(NASTY) + line.slice(at);
      else if (op === 1) lines[li] = line.slice(0, at) + line.slice(at + 1);
      else if (op === 2) lines[li] = chance(0.5) ? ` ${line}` : line.replace(/^ /, '');
      else if (op === 3) lines.splice(li, 0, line);
      else lines[li] = line.slice(0, at) + pick(NASTY) + line.slice(at + 1);
    }
  }
  const text = lines.join('\n');
  return chance(0.85) ? `${text}\n` : chance(0.5) ? text : `${text}\n\n`;
}
