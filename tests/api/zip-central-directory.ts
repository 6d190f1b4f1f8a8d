// yauzl is not installed, so the test reads the zip's central directory itself: enough
// to list entry names and prove the archive is well formed (a plain, non-zip64 archive).
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

export function zipEntryNames(zip: Buffer): string[] {
  if (zip.readUInt32LE(0) !== LOCAL_FILE_HEADER) throw new Error('not a zip: no PK\\3\\4 magic');
  // The end record is the last 22 bytes plus an optional comment of up to 65,535 bytes.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip: no end of central directory record');
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let k = 0; k < entries; k++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER)
      throw new Error(`corrupt central directory at byte ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
