import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { ApiError } from './api.error';
import { checkResultFileName, RunResultsStore } from './run-results.store';

describe('RunResultsStore', () => {
  let dir: string;
  const store = new RunResultsStore();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tl-results-store-'));
    await writeFile(path.join(dir, 'summary.json'), '{"ticks":3}\n');
    await writeFile(path.join(dir, 'equity.csv'), 'timestamp,equity\n');
    await mkdir(path.join(dir, 'nested'));
  });

  it('lists the regular files only, sorted', async () => {
    await expect(store.list(dir)).resolves.toEqual(['equity.csv', 'summary.json']);
  });

  it('opens a listed file with its content type', async () => {
    const file = await store.open(dir, 'equity.csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    await expect(text(file.stream)).resolves.toBe('timestamp,equity\n');
    await expect(store.summary(dir)).resolves.toEqual({ ticks: 3 });
  });

  it.each(['../package.json', '..', '.env', 'a/b.csv', 'a\\b.csv', '', 'nested/../equity.csv'])(
    'refuses %j as a file name with 400',
    (name) => {
      expect(() => checkResultFileName(name)).toThrow(
        expect.objectContaining({ status: 400, code: 'INVALID_FILE_NAME' }),
      );
    },
  );

  it('answers 404 for a plain name the run does not have, and for a directory', async () => {
    for (const name of ['missing.csv', 'nested']) {
      const error = await store.open(dir, name).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 404, code: 'FILE_NOT_FOUND' });
    }
  });

  it('answers 404 when the run directory is gone', async () => {
    await expect(store.list(path.join(dir, 'gone'))).rejects.toMatchObject({
      status: 404,
      code: 'RESULTS_MISSING',
    });
  });
});
