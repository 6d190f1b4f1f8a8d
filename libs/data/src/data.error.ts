/** Where in a data file a problem was found. All fields optional: some errors are about a whole file or the manifest. */
export interface DataErrorLocation {
  /** Path relative to the dataset directory (what the manifest names), never an absolute path. */
  file?: string;
  /** 1-based physical line number in the file, comment lines included, so an editor jumps right to it. */
  line?: number;
  column?: string;
}

/**
 * Every problem with market data (missing file or column, unparseable or non-finite
 * value, disorder, conflicting duplicates, gaps, data ending too early). The message
 * always names what is known of file, line and column, so a user can open the file at
 * the right place without reading a stack trace.
 */
export class DataError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: string | undefined;

  constructor(reason: string, where: DataErrorLocation = {}) {
    super(formatLocation(where) + reason);
    this.name = 'DataError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

function formatLocation({ file, line, column }: DataErrorLocation): string {
  const parts: string[] = [];
  if (file !== undefined) parts.push(file);
  if (line !== undefined) parts.push(`line ${line}`);
  if (column !== undefined) parts.push(`column "${column}"`);
  return parts.length > 0 ? `${parts.join(' ')}: ` : '';
}
