// Reading a write-ahead log without its database. SQLite deletes a `-wal` file whose database file is empty (and
// ignores it when the database is missing or not a database): the edits committed since the last checkpoint live
// only there, so a cache file emptied by a crash or a tool took them with it at the next open. Here the log's
// committed pages are laid over a template database of the same schema (a fresh cache: same tables in the same
// root pages), so SQLite can read whatever those pages hold. Format: https://www.sqlite.org/fileformat.html#the_write_ahead_log
const WAL_MAGIC_LE = 0x377f0682;
const WAL_MAGIC_BE = 0x377f0683;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export interface WalPages {
  pageSize: number;
  /** The database's size in pages after the last committed transaction in the log. */
  dbPages: number;
  /** The last committed version of each page the log holds. */
  pages: Map<number, Buffer>;
}

/** SQLite's WAL checksum: pairs of 32-bit words in the log's byte order, added with the running sums. */
function checksum(data: Buffer, bigEndian: boolean, s: [number, number]): [number, number] {
  let [s0, s1] = s;
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/** The committed pages of a WAL file's contents, or null when it is not a valid log. Stops at the first bad frame. */
export function readWal(wal: Buffer): WalPages | null {
  if (wal.length < WAL_HEADER) return null;
  const magic = wal.readUInt32BE(0);
  if (magic !== WAL_MAGIC_LE && magic !== WAL_MAGIC_BE) return null;
  const bigEndian = magic === WAL_MAGIC_BE;
  const rawSize = wal.readUInt32BE(8);
  const pageSize = rawSize === 1 ? 65536 : rawSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return null;
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let sums = checksum(wal.subarray(0, 24), bigEndian, [0, 0]);
  if (sums[0] !== wal.readUInt32BE(24) || sums[1] !== wal.readUInt32BE(28)) return null;

  const committed = new Map<number, Buffer>();
  const pending = new Map<number, Buffer>();
  let dbPages = 0;
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.length; at += FRAME_HEADER + pageSize) {
    const header = wal.subarray(at, at + FRAME_HEADER);
    const page = wal.subarray(at + FRAME_HEADER, at + FRAME_HEADER + pageSize);
    if (header.readUInt32BE(8) !== salt1 || header.readUInt32BE(12) !== salt2) break;
    sums = checksum(page, bigEndian, checksum(header.subarray(0, 8), bigEndian, sums));
    if (sums[0] !== header.readUInt32BE(16) || sums[1] !== header.readUInt32BE(20)) break;
    const pageNo = header.readUInt32BE(0);
    if (pageNo === 0) break;
    pending.set(pageNo, page);
    const commitSize = header.readUInt32BE(4);
    if (commitSize > 0) {
      for (const [no, data] of pending) committed.set(no, data);
      pending.clear();
      dbPages = commitSize;
    }
  }
  return committed.size > 0 ? { pageSize, dbPages, pages: committed } : null;
}

/**
 * A database image: the template's pages with the log's committed pages laid over them. Null when the page sizes
 * differ (the template would not line up) or the log has nothing committed.
 */
export function imageFromWal(wal: Buffer, template: Buffer): Buffer | null {
  const log = readWal(wal);
  if (!log) return null;
  const templatePageSize = template.readUInt16BE(16) === 1 ? 65536 : template.readUInt16BE(16);
  if (templatePageSize !== log.pageSize) return null;
  const templatePages = Math.floor(template.length / log.pageSize);
  const pages = Math.max(log.dbPages, templatePages, ...log.pages.keys());
  const image = Buffer.alloc(pages * log.pageSize);
  template.copy(image, 0, 0, templatePages * log.pageSize);
  for (const [no, data] of log.pages) data.copy(image, (no - 1) * log.pageSize);
  // The header's page count must cover every page, whichever side page 1 came from; and the file is read as a
  // rollback-journal database (no log beside it).
  image.writeUInt32BE(pages, 28);
  image.writeUInt32BE(image.readUInt32BE(24), 92);
  image[18] = 1;
  image[19] = 1;
  return image;
}
