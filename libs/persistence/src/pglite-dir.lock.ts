import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Takes the lock file beside a PGlite data directory (`<dir>.lock`, holding this
 * process's pid) and returns its release. Unlike a Postgres server, PGlite does not lock
 * its directory: two processes opening one both write to it, and the second process's
 * view of the data is wrong from then on. A lock left by a process that is gone (killed,
 * crashed) is taken over. Beside the directory, not in it: PGlite treats its directory as
 * a database cluster that is created when empty.
 */
export async function lockPGliteDir(dir: string): Promise<() => Promise<void>> {
  const lockPath = `${dir}.lock`;
  await mkdir(path.dirname(dir), { recursive: true });
  // Twice at most: once, and once more after removing a stale lock. Two processes taking
  // over the same stale lock at the same instant could both succeed; a restart after a
  // crash is one process, so that race is accepted rather than guarded.
  for (let attempt = 1; ; attempt++) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 2) throw error;
    }
    const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (holder !== process.pid && isRunning(holder)) {
      throw new Error(
        `PGlite data directory ${dir} is in use by process ${holder} (lock file ${lockPath}): ` +
          'stop that process first, or delete the lock file if it is not a Tightloop service',
      );
    }
    // This very process can only hold it here after a release that was lost (in-process
    // double opens are refused before this point), so it is as stale as a dead process's.
    await rm(lockPath, { force: true });
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
