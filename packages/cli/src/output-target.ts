import { randomBytes } from 'node:crypto';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '@trailwarden/core';

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way of the directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  return code ?? (e as Error).message;
}

/**
 * Before any collection: the report directory exists (or is created) and takes a file, so an
 * hour of collection is never lost to a path that cannot be written. `where` names the option.
 */
export async function assertWritableDir(dir: string, where: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const s = await stat(dir);
    if (!s.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    throw new InputError(`cannot create the directory ${dir} (${why(e)})`, where);
  }
  const probe = join(dir, `.trailwarden-probe-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
    await unlink(probe);
  } catch (e) {
    throw new InputError(`cannot write in ${dir} (${why(e)})`, where);
  }
}

/** Before any collection: a file can be written at `file` (its directory is writable, it is not a directory). */
export async function assertWritableFile(file: string, where: string): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new InputError(`${file} is a directory; name a file`, where);
  await assertWritableDir(dirname(file), where);
}
