// core/printable.ts: text from elsewhere (a layer or operation name in a model file, a file name) made safe to show
// in a terminal or a message. One helper for every door: the CLI passes everything it prints through it, and the
// importers (ONNX, TF.js: the interop engineer's core/io/onnx*.ts, tfjs*.ts) call it for names they put in messages.

/** Control characters that a terminal acts on: C0 except newline and tab, DEL, C1 (an 8-bit CSI is U+009B), and
 *  the Unicode bidirectional overrides and isolates that reorder what is shown (U+202A–202E, U+2066–2069). */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * `text` with every terminal control character shown as a visible escape (`\x1b`, `\u202e`) instead of acting:
 * an escape sequence in a name read from a file cannot clear the screen, retitle the window or hide text.
 * Newlines and tabs stay unless `oneLine` is set (then they are escaped too: a name is one line).
 */
export function printable(text: string, oneLine = false): string {
  const escape = (c: string) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  };
  const safe = text.replace(CONTROL, escape);
  return oneLine ? safe.replace(/[\n\t]/g, escape) : safe;
}
