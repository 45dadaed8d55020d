/** CSV as spreadsheets read it: RFC 4180 quoting, CRLF lines, and no cell that a spreadsheet would run as a formula. */
type Cell = string | number | null;

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cell = (value: Cell) => {
    let text = value === null ? '' : String(value);
    // A leading =, +, -, @ (or tab, CR) makes a spreadsheet evaluate the cell: customer text must stay text.
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines: (readonly Cell[])[] = [header, ...rows];
  return `${lines.map((line) => line.map(cell).join(',')).join('\r\n')}\r\n`;
}
