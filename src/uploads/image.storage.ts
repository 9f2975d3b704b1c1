import { randomInt } from 'node:crypto';
import { constants, copyFile, link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageKind } from '../domain/image.sniff.js';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * Writes images in the legacy layout:
 * `<UPLOAD_DIR>/ambulance_images/<id>/<year>/<month>/<day>/<hour>_<minute>/<minute>_<second>_<4 digits>.<ext>`
 * (UTC). The server chooses every name; the ambulance id was validated to contain no path characters,
 * and the resolved path is checked to stay inside the upload directory all the same.
 */
export class ImageStorage {
  private readonly root: string;

  constructor(uploadDir: string) {
    this.root = path.resolve(uploadDir);
  }

  /** Where uploads are written while they arrive: on the same volume, hidden (a dot directory is never served). */
  get incomingDirectory(): string {
    return path.join(this.root, '.incoming');
  }

  /** Writes `data`; returns the stored path in the legacy record form (`uploads/ambulance_images/...`). */
  save(ambulanceId: string, data: Uint8Array, kind: ImageKind, at: Date): Promise<string> {
    return this.place(ambulanceId, kind, at, (target) => writeFile(target, data, { flag: 'wx' }));
  }

  /**
   * Moves a file written elsewhere under the upload directory (an upload's temporary file) into place; returns
   * the stored path. A hard link never replaces an existing file; a copy is the fallback across file systems.
   */
  moveIn(ambulanceId: string, temporaryPath: string, kind: ImageKind, at: Date): Promise<string> {
    return this.place(ambulanceId, kind, at, async (target) => {
      try {
        await link(temporaryPath, target);
      } catch (error) {
        if (!['EXDEV', 'EPERM', 'ENOTSUP'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
        await copyFile(temporaryPath, target, constants.COPYFILE_EXCL);
      }
      await unlink(temporaryPath);
    });
  }

  private async place(
    ambulanceId: string,
    kind: ImageKind,
    at: Date,
    create: (target: string) => Promise<void>,
  ): Promise<string> {
    const folder = [
      'ambulance_images',
      ambulanceId,
      String(at.getUTCFullYear()),
      pad(at.getUTCMonth() + 1),
      pad(at.getUTCDate()),
      `${pad(at.getUTCHours())}_${pad(at.getUTCMinutes())}`,
    ];
    const directory = path.join(this.root, ...folder);
    if (!directory.startsWith(this.root + path.sep)) throw new Error('image path escaped the upload directory');
    await mkdir(directory, { recursive: true });
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const name = `${pad(at.getUTCMinutes())}_${pad(at.getUTCSeconds())}_${pad(randomInt(0, 10_000), 4)}.${kind.extension}`;
      try {
        await create(path.join(directory, name));
        return ['uploads', ...folder, name].join('/');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error('could not choose a free image name');
  }

  async remove(storedPath: string): Promise<void> {
    const relative = storedPath.replace(/^uploads\//, '');
    const absolute = path.resolve(this.root, relative);
    if (absolute.startsWith(this.root + path.sep)) await unlink(absolute).catch(() => {});
  }
}
