/**
 * Writes a tiny but valid PMTiles v3 archive (spec: github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):
 * a 127-byte header, an uncompressed root directory, JSON metadata and the tiles, for the base map tests.
 * Tile ids come from the `pmtiles` package itself; tests read the result back with its reader.
 */
import { writeFile } from 'node:fs/promises';
import { zxyToTileId } from 'pmtiles';

export const TILE_TYPE = { mvt: 1, png: 2 } as const;

export interface FixtureTile {
  readonly z: number;
  readonly x: number;
  readonly y: number;
  readonly data: Uint8Array;
}

function varint(value: number, out: number[]): void {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/** The root directory: entries sorted by tile id, each with a run length of one. */
function directory(entries: ReadonlyArray<{ tileId: number; offset: number; length: number }>): Buffer {
  const out: number[] = [];
  varint(entries.length, out);
  let lastId = 0;
  for (const entry of entries) {
    varint(entry.tileId - lastId, out);
    lastId = entry.tileId;
  }
  for (const _ of entries) varint(1, out);
  for (const entry of entries) varint(entry.length, out);
  entries.forEach((entry, index) => {
    const previous = entries[index - 1];
    // 0 means "right after the previous tile"; otherwise the offset plus one.
    varint(previous && entry.offset === previous.offset + previous.length ? 0 : entry.offset + 1, out);
  });
  return Buffer.from(out);
}

export function pmtilesArchive(tiles: readonly FixtureTile[], tileType: number): Buffer {
  const sorted = tiles
    .map((tile) => ({ ...tile, tileId: zxyToTileId(tile.z, tile.x, tile.y) }))
    .sort((a, b) => a.tileId - b.tileId);
  let offset = 0;
  const entries = sorted.map((tile) => {
    const entry = { tileId: tile.tileId, offset, length: tile.data.length };
    offset += tile.data.length;
    return entry;
  });
  const root = directory(entries);
  const metadata = Buffer.from(JSON.stringify({ name: 'test fixture', format: tileType === 2 ? 'png' : 'pbf' }));
  const tileData = Buffer.concat(sorted.map((tile) => tile.data));
  const zooms = sorted.map((tile) => tile.z);

  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'ascii');
  header.writeUInt8(3, 7);
  const rootOffset = 127;
  const metadataOffset = rootOffset + root.length;
  const leafOffset = metadataOffset + metadata.length;
  const dataOffset = leafOffset;
  const u64 = (value: number, at: number) => header.writeBigUInt64LE(BigInt(value), at);
  u64(rootOffset, 8);
  u64(root.length, 16);
  u64(metadataOffset, 24);
  u64(metadata.length, 32);
  u64(leafOffset, 40);
  u64(0, 48);
  u64(dataOffset, 56);
  u64(tileData.length, 64);
  u64(sorted.length, 72); // addressed tiles
  u64(sorted.length, 80); // tile entries
  u64(sorted.length, 88); // tile contents
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(tileType, 99);
  header.writeUInt8(Math.min(...zooms), 100);
  header.writeUInt8(Math.max(...zooms), 101);
  header.writeInt32LE(-180 * 1e7, 102);
  header.writeInt32LE(-85 * 1e7, 106);
  header.writeInt32LE(180 * 1e7, 110);
  header.writeInt32LE(85 * 1e7, 114);
  header.writeUInt8(0, 118);
  header.writeInt32LE(0, 119);
  header.writeInt32LE(0, 123);
  return Buffer.concat([header, root, metadata, tileData]);
}

export async function writePmtiles(file: string, tiles: readonly FixtureTile[], tileType: number): Promise<Buffer> {
  const archive = pmtilesArchive(tiles, tileType);
  await writeFile(file, archive);
  return archive;
}

/** A vector tile with one empty layer ("water"): the smallest tile a vector renderer accepts. */
export const EMPTY_MVT = Uint8Array.from([0x1a, 0x09, 0x0a, 0x05, ...Buffer.from('water'), 0x78, 0x02]);
