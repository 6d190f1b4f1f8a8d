import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { ZipFile } from 'yazl';
import { ApiError } from './api.error';

/** One plain name: no separator, no leading dot, so it can never leave the run directory. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** 400 for anything but a plain file name, before any lookup: a path is never a result. */
export function checkResultFileName(name: string): void {
  if (!FILE_NAME.test(name))
    throw ApiError.badRequest('INVALID_FILE_NAME', `"${name}" is not a result file name`);
}

export interface ResultFile {
  stream: Readable;
  contentType: string;
}

/**
 * Reads what the runner wrote into a completed run's directory. Only names listed in
 * that directory are served, so a request can name a result but never a path.
 */
@Injectable()
export class RunResultsStore {
  /** Regular files only, sorted; a directory or link put there by hand is not served. */
  async list(runDir: string): Promise<string[]> {
    try {
      const entries = await readdir(runDir, { withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw ApiError.notFound('RESULTS_MISSING', 'the results of this run are no longer on disk');
      throw error;
    }
  }

  /** Opened before anything is sent, so a file that vanished is still an error answer. */
  async open(runDir: string, name: string): Promise<ResultFile> {
    const handle = await open(await this.existing(runDir, name), 'r');
    return {
      stream: handle.createReadStream(),
      contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
    };
  }

  async summary(runDir: string): Promise<unknown> {
    return JSON.parse(
      await readFile(await this.existing(runDir, 'summary.json'), 'utf8'),
    ) as unknown;
  }

  /** Every result file in one zip, streamed as it is compressed (a year of CSVs is large). */
  async zip(runDir: string): Promise<Readable> {
    const files = await this.list(runDir);
    const zip = new ZipFile();
    for (const name of files) zip.addFile(path.join(runDir, name), name);
    zip.end();
    // yazl's output is a PassThrough; its typings only promise the older stream interface.
    return zip.outputStream as Readable;
  }

  private async existing(runDir: string, name: string): Promise<string> {
    checkResultFileName(name);
    const files = await this.list(runDir);
    if (!files.includes(name))
      throw ApiError.notFound(
        'FILE_NOT_FOUND',
        `this run has no file "${name}"; it has ${files.join(', ')}`,
      );
    return path.join(runDir, name);
  }
}
