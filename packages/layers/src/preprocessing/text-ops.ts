// TextVectorization's string pipeline as TensorFlow runs it for Keras: ASCII lowercasing
// (`tf.strings.lower`), the punctuation Keras strips, whitespace splitting (`tf.strings.split`),
// character splitting (`unicode_split`) and n-grams (`tf.strings.ngrams`, separator ' ').

/** Keras's punctuation class: `[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']`. */
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

/** `tf.strings.lower` with its default encoding: ASCII letters only. */
export function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Remove Keras's punctuation characters. */
export function stripPunctuation(s: string): string {
  return s.replace(PUNCTUATION, '');
}

/** `tf.strings.split` without a separator: runs of ASCII whitespace, no empty tokens. */
export function splitWhitespace(s: string): string[] {
  return s.split(/[ \t\n\v\f\r]+/).filter((t) => t.length > 0);
}

/** `tf.strings.unicode_split(s, 'UTF-8')`: one token per code point. */
export function splitCharacters(s: string): string[] {
  return Array.from(s);
}

/** `tf.strings.ngrams(tokens, widths, separator=' ')`: all n-grams of each width, width by width. */
export function ngrams(tokens: string[], widths: readonly number[]): string[] {
  const out: string[] = [];
  for (const w of widths) {
    for (let i = 0; i + w <= tokens.length; i++) out.push(tokens.slice(i, i + w).join(' '));
  }
  return out;
}
