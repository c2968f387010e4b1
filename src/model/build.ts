/** Builds the Project from a Discovery: every file is read and parsed once, here. */
import type { Discovery } from '../discover/index.js';
import { parseDockerfile } from '../parse/dockerfile.js';
import { initShell } from '../parse/shell.js';
import type { FileError } from '../types.js';
import type { DockerfileModel, Stage } from './dockerfile.js';
import { effectiveUser, reachableStages } from './image.js';
import type { Image, Project } from './project.js';

export async function buildProject(d: Discovery, name: string): Promise<Project> {
  await initShell();
  const errors: FileError[] = [...d.errors];
  const dockerfiles: DockerfileModel[] = [];
  for (const path of d.files.dockerfiles) {
    const r = d.readText(path);
    if ('error' in r) {
      errors.push({ file: path, message: r.error });
      continue;
    }
    try {
      const model = parseDockerfile(path, r.text);
      dockerfiles.push(model);
      if (model.stages.length === 0) {
        const p = model.problems[0];
        errors.push({ file: path, message: `not a Dockerfile: ${p?.message ?? 'no FROM instruction'}`, line: p?.range.line });
      }
    } catch (e) {
      errors.push({ file: path, message: `could not parse: ${(e as Error).message}` });
    }
  }
  const images: Image[] = [];
  for (const df of dockerfiles) {
    const final = df.stages[df.stages.length - 1];
    if (!final) continue;
    images.push(makeImage(d, df, final, dirOf(df.path)));
  }
  return {
    name,
    dockerfiles,
    images,
    envFiles: d.envFiles,
    git: d.git !== null,
    files: d.files,
    errors,
  };
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** One image: a stage of a Dockerfile built from a context. `target` set when not the final stage. */
export function makeImage(d: Discovery, df: DockerfileModel, stage: Stage, contextDir: string, target?: string): Image {
  return {
    name: target ? `${df.path}#${target}` : df.path,
    dockerfile: df,
    stage,
    reachableStages: reachableStages(df, stage),
    user: effectiveUser(df, stage),
    context: d.buildContext(contextDir, df.path),
    services: [],
  };
}
