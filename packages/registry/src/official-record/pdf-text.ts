// pdfkit's built-in Helvetica is an AFM font in WinAnsi encoding: it writes each UTF-16 code unit as
// hex, so a character outside WinAnsi (CJK, Cyrillic, "ő", emoji) becomes other glyphs, and a control
// character misaligns the hex string. Everything drawn in the PDF passes through pdfText() first.

// The WinAnsi characters above U+00FF (the 0x80–0x9F block), as pdfkit maps them.
const winAnsiExtras = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function drawable(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || winAnsiExtras.has(char);
}

/**
 * The text as Helvetica can draw it: WinAnsi letters as they are ("Nuñez-O'Brien"), other letters
 * without their accents when that makes them drawable ("Dvořák" → "Dvorák"), anything else as "?"
 * ("Łódź" → "?ódz", "李" → "?"); control characters as spaces, invisible format characters (zero-width
 * space, bidi overrides) dropped.
 */
export function pdfText(value: string): string {
  let out = '';
  for (const char of value.normalize('NFC')) {
    if (drawable(char)) out += char;
    else if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(char)) out += ' ';
    else if (/\p{Cf}/u.test(char)) continue;
    else {
      const folded = char.normalize('NFKD').replace(/\p{M}/gu, '');
      out += folded && [...folded].every(drawable) ? folded : '?';
    }
  }
  return out;
}
