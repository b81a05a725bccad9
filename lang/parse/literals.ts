// Lexical knowledge shared by the parser's parts: the reserved words, and the
// decoding of literal spellings: numbers (decimal, 0x hex, 0b binary, floats,
// the u suffix, dotted IPv4) and strings with Soufflé's escape sequences.

/** Words Soufflé's scanner turns into tokens of their own: never identifiers (keep in step with grammar.ohm's `keyword`). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "autoinc",
  "band",
  "bor",
  "bxor",
  "bnot",
  "bshl",
  "bshru",
  "bshr",
  "land",
  "lor",
  "lxor",
  "lnot",
  "match",
  "mean",
  "cat",
  "ord",
  "range",
  "strlen",
  "substr",
  "stateful",
  "contains",
  "output",
  "input",
  "overridable",
  "printsize",
  "eqrel",
  "inline",
  "no_inline",
  "magic",
  "no_magic",
  "brie",
  "btree_delete",
  "btree",
  "min",
  "max",
  "as",
  "nil",
  "count",
  "sum",
  "true",
  "false",
  "to_float",
  "to_number",
  "to_string",
  "to_unsigned",
  "recursive_iteration_cnt",
  "debug_delta",
]);

export interface DecodedNumber {
  readonly value: number;
  readonly numType?: "float" | "unsigned";
  /** Set when the spelling is well-formed but its value is not, e.g. an IP part above 255. */
  readonly problem?: string;
}

/** The value of a number literal spelled as the grammar's `number` rule accepts it. */
export function decodeNumber(text: string): DecodedNumber {
  const unsigned = text.endsWith("u");
  const body = unsigned ? text.slice(0, -1) : text;
  const numType = unsigned ? ("unsigned" as const) : undefined;
  if (body.startsWith("0x")) return { value: parseInt(body.slice(2), 16), numType };
  if (body.startsWith("0b")) return { value: parseInt(body.slice(2), 2), numType };
  const parts = body.split(".");
  if (parts.length === 4) {
    // a.b.c.d is an IPv4 address; Soufflé packs it into a 32-bit signed number.
    const bytes = parts.map(Number);
    if (bytes.some((b) => b > 255)) return { value: 0, problem: "IP address part out of range (0..255)" };
    return { value: ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >> 0 };
  }
  if (parts.length === 2) return { value: Number(body), numType: "float" };
  return { value: Number(body), numType };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  "\\": "\\",
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

export interface DecodedString {
  readonly value: string;
  /** Offset of the backslash (into the literal's text, quotes included) and the character of the first unknown escape. */
  readonly badEscape?: { readonly offset: number; readonly char: string };
}

/**
 * The value of a string literal, quotes included in `text`. Like Soufflé's
 * scanner: \" \' \\ \a \b \f \n \r \t \v are escapes, any other escape is an
 * error, and every other character (newlines too) stands for itself.
 */
export function decodeString(text: string): DecodedString {
  const inner = text.slice(1, -1);
  if (!inner.includes("\\")) return { value: inner };
  let out = "";
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== "\\" || i + 1 >= inner.length) {
      out += c;
      continue;
    }
    const next = inner[i + 1]!;
    const mapped = ESCAPES[next];
    if (mapped === undefined) return { value: out, badEscape: { offset: i + 1, char: next } };
    out += mapped;
    i++;
  }
  return { value: out };
}
