const ASCII_ONLY = /^\p{ASCII}*$/u;

/**
 * Converts the positions PostgreSQL's parser reports into offsets of a
 * JavaScript string. Node locations are UTF-8 byte offsets, syntax error
 * cursors are code point offsets, and JavaScript strings count UTF-16 code
 * units: the three differ as soon as the SQL holds a non-ASCII character
 * (an accented name in a string literal, an emoji in a comment).
 */
export class TextOffsets {
  private readonly bytesBefore?: Uint32Array;
  private readonly codePointsBefore?: Uint32Array;

  constructor(private readonly text: string) {
    if (ASCII_ONLY.test(text)) {
      return;
    }
    const bytes = new Uint32Array(text.length + 1);
    const codePoints = new Uint32Array(text.length + 1);
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      const isHighSurrogate =
        unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length;
      if (isHighSurrogate) {
        bytes[i + 1] = bytes[i];
        codePoints[i + 1] = codePoints[i];
        bytes[i + 2] = bytes[i] + 4;
        codePoints[i + 2] = codePoints[i] + 1;
        i++;
        continue;
      }
      let width = 3;
      if (unit < 0x80) {
        width = 1;
      } else if (unit < 0x800) {
        width = 2;
      }
      bytes[i + 1] = bytes[i] + width;
      codePoints[i + 1] = codePoints[i] + 1;
    }
    this.bytesBefore = bytes;
    this.codePointsBefore = codePoints;
  }

  /** The string offset of a UTF-8 byte offset (a parse tree `location`). */
  fromByte(byteOffset: number): number {
    return this.bytesBefore
      ? lowerBound(this.bytesBefore, byteOffset)
      : Math.min(byteOffset, this.text.length);
  }

  /** The string offset of a code point offset (a syntax error's cursor). */
  fromCodePoint(codePointOffset: number): number {
    return this.codePointsBefore
      ? lowerBound(this.codePointsBefore, codePointOffset)
      : Math.min(codePointOffset, this.text.length);
  }
}

/** The first index whose value is at least `value` (the arrays are non-decreasing). */
function lowerBound(values: Uint32Array, value: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle] < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
