/**
 * A text with one layer of a server's encoding taken off, each character mapped back to where it
 * came from: the character at `i` is the original text from `rawStart(i)` up to `rawStart(i + 1)`
 * (`rawStart(text.length)` is the original's length). A `+` reads as a space in every view, as a
 * URL's query does, so a secret holding either is found however a server wrote it.
 */
export interface DecodedView {
  readonly text: string;
  rawStart(index: number): number;
}

/** Longest text one UTF-16 unit can become in the views' encodings: `\uD83D` URL-encoded. */
export const MAX_ENCODED_UNIT_LENGTH = 18;

const PLUS = 0x2b;
const SPACE = 0x20;
const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;

/** What the character after a backslash stands for in JSON, besides `\uXXXX`. */
const JSON_ESCAPES: ReadonlyMap<number, number> = new Map(
  [...'"\\/bfnrt'].map((c, i) => [c.charCodeAt(0), '"\\/\b\f\n\r\t'.charCodeAt(i)]),
);

/** `text` with each `+` read as a space. */
export function foldPlus(text: string): string {
  return text.replaceAll("+", " ");
}

/**
 * The views in which a secret appears as itself ({@link foldPlus}-ed) when a server echoed it
 * plainly, JSON-escaped (`\"`, `\/`, `\u00e4` in either case, surrogate pairs), URL-encoded (`%XX`
 * in either case, `+` for a space) or JSON-escaped and then URL-encoded (`%5C%22`), with any of a
 * layer's characters encoded or not. Views equal to another one are left out. Linear in `text`.
 */
export function decodedViews(text: string): DecodedView[] {
  const plain: DecodedView = { text: foldPlus(text), rawStart: (index) => index };
  const views = [plain];
  const urlDecoded = text.includes("%") ? urlDecode(plain) : plain;
  if (urlDecoded !== plain) views.push(urlDecoded);
  for (const view of views.slice()) {
    if (view.text.includes("\\")) views.push(jsonUnescape(view));
  }
  return views;
}

/** Collects the characters of a view decoded from `source`. */
class ViewBuilder {
  private readonly units: Uint16Array;
  private readonly starts: Int32Array;
  private length = 0;

  constructor(private readonly source: DecodedView) {
    // Every encoding is at least as long as what it stands for.
    this.units = new Uint16Array(source.text.length);
    this.starts = new Int32Array(source.text.length + 1);
  }

  /** Adds a UTF-16 unit that `source` holds from `sourceIndex` on. */
  push(unit: number, sourceIndex: number): void {
    this.units[this.length] = unit === PLUS ? SPACE : unit;
    this.starts[this.length] = this.source.rawStart(sourceIndex);
    this.length++;
  }

  finish(): DecodedView {
    const { units, starts, length } = this;
    starts[length] = this.source.rawStart(this.source.text.length);
    const text = Buffer.from(units.buffer, 0, length * 2).toString("utf16le");
    // Callers ask only for 0 to `length`, all set.
    return { text, rawStart: (index) => starts[index] as number };
  }
}

/** `%XX` sequences that form UTF-8 characters decoded; anything else (`%`, `%zz`, `%C3` alone) kept. */
function urlDecode(source: DecodedView): DecodedView {
  const { text } = source;
  const view = new ViewBuilder(source);
  for (let i = 0; i < text.length; ) {
    const codePoint = text.charCodeAt(i) === PERCENT ? percentEncodedCodePoint(text, i) : undefined;
    if (codePoint === undefined) {
      view.push(text.charCodeAt(i), i);
      i++;
      continue;
    }
    const decoded = String.fromCodePoint(codePoint);
    for (let unit = 0; unit < decoded.length; unit++) view.push(decoded.charCodeAt(unit), i);
    i += 3 * Buffer.byteLength(decoded, "utf8");
  }
  return view.finish();
}

/** The bytes a UTF-8 lead byte starts, and the least code point that many bytes may encode. */
function utf8Sequence(lead: number): { length: number; min: number } | undefined {
  if (lead < 0x80) return { length: 1, min: 0 };
  if (lead >= 0xc2 && lead < 0xe0) return { length: 2, min: 0x80 };
  if (lead >= 0xe0 && lead < 0xf0) return { length: 3, min: 0x800 };
  if (lead >= 0xf0 && lead < 0xf5) return { length: 4, min: 0x10000 };
  return undefined;
}

/** The character that the `%XX` bytes from `at` encode in UTF-8, if they form a valid one. */
function percentEncodedCodePoint(text: string, at: number): number | undefined {
  const lead = percentByte(text, at);
  const sequence = lead === undefined ? undefined : utf8Sequence(lead);
  if (lead === undefined || sequence === undefined) return undefined;
  let codePoint = sequence.length === 1 ? lead : lead & (0x7f >> sequence.length);
  for (let k = 1; k < sequence.length; k++) {
    const byte = percentByte(text, at + 3 * k);
    if (byte === undefined || (byte & 0xc0) !== 0x80) return undefined;
    codePoint = (codePoint << 6) | (byte & 0x3f);
  }
  const surrogate = codePoint >= 0xd800 && codePoint < 0xe000;
  return codePoint < sequence.min || codePoint > 0x10ffff || surrogate ? undefined : codePoint;
}

/** The byte that `%XX` at `at` stands for (either case), if it is one. */
function percentByte(text: string, at: number): number | undefined {
  if (text.charCodeAt(at) !== PERCENT) return undefined;
  return hexValue(text, at + 1, 2);
}

/** The value of `digits` hexadecimal digits (either case) from `at`, if they are all there. */
function hexValue(text: string, at: number, digits: number): number | undefined {
  const hex = text.slice(at, at + digits);
  return hex.length === digits && /^[0-9a-fA-F]+$/.test(hex) ? Number.parseInt(hex, 16) : undefined;
}

/** JSON string escapes decoded, one UTF-16 unit per `\uXXXX`; a backslash starting none is kept. */
function jsonUnescape(source: DecodedView): DecodedView {
  const { text } = source;
  const view = new ViewBuilder(source);
  for (let i = 0; i < text.length; ) {
    const next = text.charCodeAt(i + 1);
    const escaped = text.charCodeAt(i) === BACKSLASH ? JSON_ESCAPES.get(next) : undefined;
    const unit = escaped === undefined && next === LETTER_U ? jsonUnicodeEscape(text, i) : undefined;
    if (escaped !== undefined) {
      view.push(escaped, i);
      i += 2;
    } else if (unit !== undefined) {
      view.push(unit, i);
      i += 6;
    } else {
      view.push(text.charCodeAt(i), i);
      i++;
    }
  }
  return view.finish();
}

/** The unit of `\uXXXX` at `at`, if there is one. */
function jsonUnicodeEscape(text: string, at: number): number | undefined {
  return text.charCodeAt(at) === BACKSLASH ? hexValue(text, at + 2, 4) : undefined;
}
