/** A short, single-line excerpt of a response body for error messages. */
export const excerpt = (body: string, max = 160): string => {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
};
