/**
 * CI workflow files → Workflow models (src/model/workflow.ts), each file read and parsed once:
 * GitHub Actions (src/parse/github.ts) and GitLab CI (src/parse/gitlab.ts), on the shared pieces of
 * src/parse/workflow-common.ts (expressions, shell scripts, matrices, job instances).
 */
import type { Workflow } from '../model/workflow.js';
import type { FileError } from '../types.js';
import { githubWorkflow, linkReusableWorkflows } from './github.js';
import { gitlabWorkflow } from './gitlab.js';
import { shellFailure } from './shell.js';
import { parseYaml } from './yaml.js';

export { evalGitlabIf } from './gitlab.js';
export {
  cronFrequency,
  expandMatrix,
  instanceCommands,
  maskExpressions,
  normaliseDir,
  normaliseExpr,
  parseActionRef,
  provLocation,
  resolveExpressions,
  resolveShellVars,
  type ShellState,
  swallowedFailures,
} from './workflow-common.js';

export interface WorkflowReader {
  readText(rel: string): { text: string } | { error: string };
}

export interface ParsedWorkflows {
  workflows: Workflow[];
  errors: FileError[];
  /** Files that could not be read or parsed. */
  unreadable: string[];
}

function isGitlabFile(path: string): boolean {
  return path === '.gitlab-ci.yml' || path.endsWith('/.gitlab-ci.yml');
}

/** Reads and parses every workflow file; a malformed one becomes an error (file + line) and is left out. */
export function parseWorkflows(reader: WorkflowReader, paths: string[]): ParsedWorkflows {
  const workflows: Workflow[] = [];
  const errors: FileError[] = [];
  const unreadable: string[] = [];
  for (const path of paths) {
    const r = reader.readText(path);
    if ('error' in r) {
      errors.push({ file: path, message: r.error });
      unreadable.push(path);
      continue;
    }
    const yaml = parseYaml(path, r.text);
    if (yaml.errors.length) {
      for (const e of yaml.errors.slice(0, 3)) errors.push({ file: path, message: `invalid workflow YAML: ${e.message}`, line: e.line });
      unreadable.push(path);
      continue;
    }
    if (yaml.root?.kind !== 'map') {
      errors.push({
        file: path,
        message: yaml.root ? 'workflow is not a YAML mapping' : 'workflow file is empty',
        line: yaml.root?.prov.range.line,
      });
      unreadable.push(path);
      continue;
    }
    let wf: Workflow;
    try {
      wf = isGitlabFile(path) ? gitlabWorkflow(path, yaml, yaml.root, errors) : githubWorkflow(path, yaml, yaml.root, errors);
    } catch (e) {
      // A `run:` script nested too deeply to analyse (the parser's recursion ran out of stack): the
      // workflow is unreadable, as a malformed one is, and the rest is still checked.
      errors.push({ file: path, message: `could not analyse the workflow: ${shellFailure(e)}` });
      unreadable.push(path);
      continue;
    }
    workflows.push(wf);
  }
  linkReusableWorkflows(workflows);
  return { workflows, errors, unreadable };
}
