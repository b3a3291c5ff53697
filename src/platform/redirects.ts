// Where a sign-in (or any form that carries `next`) may send the reader afterwards:
// only a page of this portal. The address is parsed the way a browser would parse
// it, against the portal's own origin, and kept only when the origin is still ours;
// a string test is not enough, as URL parsers drop tabs and newlines
// (`/\t/evil.example` is `//evil.example`) and read `\` as `/`.
//
// What is returned is the parsed path, query and fragment, percent-encoded by the
// parser, so it can go into a Location header as it is (CR, LF or DEL in the raw
// value made Node refuse the header with a 500).

/** `next` as a path on this portal, or null when it leads elsewhere or is not an address. */
export function localTarget(next: string | undefined, publicUrl: string): string | null {
  if (!next || next.length > 2000) return null;
  // Only a path: never an absolute URL, even one to ourselves (it must not be the
  // protocol or the host that decides), and never a control character, which a
  // browser would drop silently.
  if (!next.startsWith('/') || /[\u0000-\u001f\u007f]/.test(next)) return null;
  const own = new URL(publicUrl);
  let url: URL;
  try {
    url = new URL(next, own);
  } catch {
    return null;
  }
  if (url.origin !== own.origin) return null;
  return url.pathname + url.search + url.hash;
}

/** `next` as a path on this portal, or the home page. */
export function safeNext(next: string | undefined, publicUrl: string): string {
  return localTarget(next, publicUrl) ?? '/';
}
