/**
 * A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF or LF). Returns the header and
 * the records with their 1-based line numbers, so schema errors can name `file:line`.
 */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

export function parseCsv(text: string): { header: string[]; records: CsvRecord[] } {
  const rows: CsvRecord[] = [];
  let field = "";
  let fields: string[] = [];
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let sawAny = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === "") {
      inQuotes = true;
      sawAny = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      sawAny = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (sawAny || field !== "") {
        fields.push(field);
        rows.push({ line: rowLine, fields });
      }
      fields = [];
      field = "";
      sawAny = false;
      line++;
      rowLine = line;
    } else {
      field += c;
      sawAny = true;
    }
  }
  if (sawAny || field !== "") {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  const [head, ...records] = rows;
  return { header: head ? [...head.fields] : [], records };
}
