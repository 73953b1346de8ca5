// CSV for the reports' exports (RFC 4180: CRLF, fields quoted when they hold a comma, quote or newline).
// A leading =, +, - or @ is prefixed with ' so a spreadsheet never runs a cell as a formula.
export type CsvCell = string | number | null;

function field(value: CsvCell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** Reads the hub's simple CSV (no quoted fields) into records keyed by the header. */
export function parseSimpleCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.length > 0);
  if (!header) return [];
  const names = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, index) => [name, cells[index] ?? '']));
  });
}
