/**
 * Report files as UTF-8 text, refusing bytes that are not UTF-8 (a report saved in Latin-1 or a binary file) with the
 * offset of the first bad byte, instead of decoding them silently to U+FFFD.
 */

const strict = new TextDecoder('utf-8', { fatal: true });

export class NotUtf8Error extends Error {
  override readonly name = 'NotUtf8Error';
  constructor(
    /** Offset of the first byte that is not part of a valid UTF-8 sequence. */
    readonly byteOffset: number,
    readonly byte: number,
    /** 1-based line of that byte. */
    readonly line: number,
  ) {
    super(
      `not UTF-8 text: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at byte offset ${byteOffset} (line ${line}) is not valid UTF-8; save the file as UTF-8`,
    );
  }
}

/** The text of `bytes` (a leading byte order mark dropped); throws `NotUtf8Error` at the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    const text = strict.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
    throw new NotUtf8Error(offset, bytes[offset] ?? 0, line);
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min = 0x80;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) min = 0xa0; // overlong
      if (b === 0xed) max = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) min = 0x90; // overlong
      if (b === 0xf4) max = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < min || c > max : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}
