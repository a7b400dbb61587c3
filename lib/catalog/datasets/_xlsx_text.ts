/**
 * Text in .xlsx files as Excel and openpyxl (pandas) read and write it, where SheetJS differs: SheetJS reads
 * every "\r\n" as "\n" (a CR written as `&#13;` or `_x000D_` is lost), drops characters past U+FFFF written
 * as character references (openpyxl writes `&#128512;` for 😀), writes a CR as `_x000d_` (which openpyxl
 * keeps as those 7 characters), and writes text that looks like an `_xHHHH_` escape unescaped.
 *
 * @module
 */
type XLSX = typeof import("xlsx");
type CfbContainer = ReturnType<XLSX["CFB"]["read"]>;

// A noncharacter standing for a CR through SheetJS's parser (which would turn "\r\n" into "\n").
const CR_MARK = "\ufdd0";

/**
 * The workbook `bytes` (a ZIP) read by SheetJS with Excel's and openpyxl's text: CRs and characters past
 * U+FFFF kept. Its XML parts are rewritten first only when they hold such text.
 *
 * @example
 * ```ts
 * const workbook = readXlsxText(XLSX, bytes, { type: "array", dense: true });
 * ```
 */
export function readXlsxText(XLSX: XLSX, bytes: Uint8Array, options: import("xlsx").ParsingOptions) {
  const zip = XLSX.CFB.read(bytes, { type: "array" });
  let marked = false;
  for (const [i, path] of zip.FullPaths.entries()) {
    const entry = zip.FileIndex[i];
    if (!/^Root Entry\/xl\/.*\.xml$|^\/?xl\/.*\.xml$/i.test(path) || !entry.content?.length) continue;
    const xml = new TextDecoder().decode(entry.content as Uint8Array);
    if (!/&#|_x000[dD]_|\r/.test(xml) || xml.includes(CR_MARK)) continue;
    const fixed = xml
      .replace(/\r\n?/g, "\n") // XML's own line-end normalization: a literal CR in the file is no CR
      .replace(/&#(?:([0-9]+)|[xX]([0-9a-fA-F]+));/g, (ref, dec?: string, hex?: string) => {
        const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
        return code === 13 ? CR_MARK : code > 0xffff && code <= 0x10ffff ? String.fromCodePoint(code) : ref;
      })
      // OOXML escapes, decoded from the left as readers do: the "_x000D_" of "_x005F_x000D_" is text.
      .replace(
        /_x([0-9a-fA-F]{4})_/g,
        (escape, hex: string) => (hex.toLowerCase() === "000d" ? CR_MARK : escape),
      );
    if (fixed === xml) continue;
    entry.content = new TextEncoder().encode(fixed);
    entry.size = entry.content.length;
    marked ||= fixed.includes(CR_MARK);
  }
  // SheetJS' own read of a ZIP (read → zip_read → parse_zip), exported but not in its types.
  const parseZip = (XLSX as unknown as {
    parse_zip(zip: CfbContainer, options: import("xlsx").ParsingOptions): import("xlsx").WorkBook;
  }).parse_zip;
  const workbook = parseZip(zip, options);
  if (marked) {
    for (const sheet of Object.values(workbook.Sheets) as import("xlsx").WorkSheet[]) {
      for (const row of sheet["!data"] ?? []) {
        for (const cell of row ?? []) {
          if (typeof cell?.v === "string" && cell.v.includes(CR_MARK)) {
            cell.v = cell.v.replaceAll(CR_MARK, "\r");
          }
        }
      }
    }
  }
  return workbook;
}

/**
 * `text` as SheetJS must be given it for Excel to read it back: a literal `_xHHHH_` (or `_xHHHH` before a
 * character SheetJS escapes) gets its underscore escaped (`_x005F_xHHHH_`), as Excel writes it.
 *
 * @example
 * ```ts
 * xlsxText("a_x000D_b"); // "a_x005F_x000D_b"
 * ```
 */
export function xlsxText(text: string): string {
  return text.includes("_x") ? text.replace(LOOKS_ESCAPED, "_x005F_$1") : text;
}

// "_xHHHH" before "_" or before a character SheetJS writes as _xHHHH_.
// deno-lint-ignore no-control-regex -- those characters are control characters
const LOOKS_ESCAPED = /_(x[0-9a-fA-F]{4})(?=_|[\u0000-\u0008\u000b-\u001f\ufffe\uffff])/g;

/**
 * The workbook SheetJS wrote (`bookSST: true`) with each CR in its shared strings written as openpyxl
 * writes it, `&#13;`, instead of SheetJS' `_x000d_`, which openpyxl (pandas) keeps as 7 characters.
 *
 * @example
 * ```ts
 * const bytes = xlsxCarriageReturns(XLSX, XLSX.write(workbook, { type: "array", bookSST: true }));
 * ```
 */
export function xlsxCarriageReturns(XLSX: XLSX, bytes: Uint8Array): Uint8Array {
  const CFB = XLSX.CFB;
  const zip = CFB.read(bytes, { type: "array" });
  const entry = CFB.find(zip, "/xl/sharedStrings.xml");
  if (!entry?.content) return bytes;
  const xml = new TextDecoder().decode(entry.content as Uint8Array);
  if (!/_x000d_/i.test(xml)) return bytes;
  // Escape by escape from the left, as readers decode them.
  const fixed = xml.replace(
    /_x([0-9a-fA-F]{4})_/g,
    (escape, hex: string) => hex.toLowerCase() === "000d" ? "&#13;" : escape,
  );
  CFB.utils.cfb_add(zip, "/xl/sharedStrings.xml", new TextEncoder().encode(fixed));
  return new Uint8Array(CFB.write(zip, { type: "array", fileType: "zip", compression: true }) as ArrayBuffer);
}
