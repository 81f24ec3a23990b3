/**
 * Just enough of the PNG format to tell a real screenshot from a broken or empty file: the
 * signature, the IHDR chunk (size), and a chunk walk that must end in IEND with image data on the way.
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngInfo {
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

export class InvalidPngError extends Error {
  override name = 'InvalidPngError';
}

/** Width, height and size of a PNG; throws InvalidPngError naming what is wrong. */
export function readPngInfo(data: Buffer, what = 'file'): PngInfo {
  const bad = (reason: string): never => {
    throw new InvalidPngError(`${what} is not a valid PNG: ${reason}`);
  };
  if (data.length < SIGNATURE.length + 25 || !data.subarray(0, SIGNATURE.length).equals(SIGNATURE)) bad('no PNG signature');
  let offset = SIGNATURE.length;
  const chunks: string[] = [];
  let width = 0;
  let height = 0;
  // Each chunk: length (4), type (4), data (length), CRC (4).
  while (offset + 12 <= data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    if (offset + 12 + length > data.length) bad(`chunk ${type} runs past the end of the file (truncated?)`);
    if (chunks.length === 0) {
      if (type !== 'IHDR' || length !== 13) bad(`the first chunk is ${type}, not IHDR`);
      width = data.readUInt32BE(offset + 8);
      height = data.readUInt32BE(offset + 12);
    }
    chunks.push(type);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  if (chunks.at(-1) !== 'IEND') bad('no IEND chunk (truncated?)');
  if (!chunks.includes('IDAT')) bad('no image data (IDAT)');
  if (width === 0 || height === 0) bad(`empty image (${width}x${height})`);
  return { width, height, bytes: data.length };
}

/** Plausible screenshot: a real browser viewport's size, and more bytes than a blank page compresses to. */
export const SCREENSHOT_LIMITS = { minWidth: 800, maxWidth: 2000, minHeight: 300, maxHeight: 1600, minBytes: 15_000, maxBytes: 600_000 } as const;

/** Problems of a screenshot's size; empty when it is plausible. */
export function screenshotProblems(info: PngInfo, limits = SCREENSHOT_LIMITS): string[] {
  const problems: string[] = [];
  if (info.width < limits.minWidth || info.width > limits.maxWidth) problems.push(`width ${info.width} px is outside ${limits.minWidth}..${limits.maxWidth}`);
  if (info.height < limits.minHeight || info.height > limits.maxHeight) problems.push(`height ${info.height} px is outside ${limits.minHeight}..${limits.maxHeight}`);
  if (info.bytes < limits.minBytes) problems.push(`${info.bytes} bytes: too small for a page with content (blank?)`);
  if (info.bytes > limits.maxBytes) problems.push(`${info.bytes} bytes: over ${limits.maxBytes}; keep committed PNGs small`);
  return problems;
}
