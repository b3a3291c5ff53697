// Old WordPress addresses as keys of the redirect table, and the keys one export
// item leaves behind.
//
// WordPress keeps Cyrillic slugs lower case and percent-encoded, cut at 200 bytes of
// that encoding (`utf8_uri_encode($title, 200)`); links to them circulate in every
// hex case (%D0%BC and %d0%bc) and with or without the final slash. So a key is
// the path percent-decoded, in Unicode NFC, lower case, with one slash between
// segments and none at the end: any spelling of an address finds the same row.
// Query-string addresses (`/?p=10`, `/?cat=5`, `/?feed=rss2`) are keyed on the
// one parameter that names the thing.

/** The query parameters that address something on WordPress's front page. */
export const QUERY_KEYS = ['p', 'page_id', 'attachment_id', 'cat', 'tag', 'author', 'feed'] as const;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A broken escape somewhere: decode the sequences that are whole UTF-8.
    return segment.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** The key of a path (and query) as requested or as written in the export, or null for one that names nothing. */
export function oldPathKey(address: string): string | null {
  let raw = address.trim();
  if (!raw) return null;
  // A full URL: only its path and query matter (the old host is gone).
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(raw);
  if (abs) raw = raw.slice(abs[0].length) || '/';
  raw = raw.split('#')[0]!;
  const q = raw.indexOf('?');
  const pathPart = q >= 0 ? raw.slice(0, q) : raw;
  const query = q >= 0 ? raw.slice(q + 1) : '';
  let path = decode(pathPart.replace(/\+/g, '%20'))
    .normalize('NFC')
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '');
  if (!path.startsWith('/')) path = `/${path}`;
  if (path === '/index.php') path = '';
  else if (path.startsWith('/index.php/')) path = path.slice('/index.php'.length);
  if ((path === '' || path === '/') && query) {
    const params = new URLSearchParams(query);
    for (const k of QUERY_KEYS) {
      const v = params.get(k);
      if (v) return `?${k}=${v.normalize('NFC').toLowerCase().slice(0, 300)}`;
    }
    return null;
  }
  if (path === '' || path === '/') return null;
  return path.slice(0, 2000);
}

/**
 * The keys to try for a request, best first: the address itself; then, for a slug
 * longer than WordPress keeps, the slug cut as WordPress cut it; an archive's page
 * (`/page/2`) as its first page; a resized image variant (`-300x200.jpg`, `-scaled`)
 * as its original.
 */
export function lookupKeys(address: string): string[] {
  const key = oldPathKey(address);
  if (!key) return [];
  const keys = [key];
  if (key.startsWith('?')) return keys;
  const segments = key.split('/');
  const last = segments.at(-1)!;
  const cut = cutSlug(last);
  if (cut !== last) keys.push([...segments.slice(0, -1), cut].join('/'));
  const paged = /^(.*)\/page\/\d{1,6}$/.exec(key);
  if (paged?.[1]) keys.push(paged[1]);
  const variant = /^(\/.*)-(?:\d{1,5}x\d{1,5}|scaled|rotated|e\d{10,13})(\.[a-z0-9]{2,5})$/.exec(key);
  if (variant) keys.push(variant[1]! + variant[2]!);
  return keys;
}

/** A decoded slug as WordPress stores it: percent-encoded (lower case) and cut at 200 bytes of that, never inside a character. */
export function cutSlug(decoded: string, max = 200): string {
  let encodedLength = 0;
  let out = '';
  for (const ch of decoded) {
    const len = encodeURIComponent(ch).length;
    if (encodedLength + len > max) break;
    encodedLength += len;
    out += ch;
  }
  return out;
}

/** The last segment of a path key (a post's slug in most permalink structures). */
export function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** A path key with its last segment replaced (an old slug in the place of the current one). */
export function withLastSegment(key: string, slug: string): string {
  return `${key.slice(0, key.lastIndexOf('/') + 1)}${slug}`;
}

/** The decoded, lower-case form of a slug as the export writes it (percent-encoded in any case). */
export function slugKey(slug: string): string {
  return decode(slug.trim()).normalize('NFC').toLowerCase();
}

/** An author's archive slug as WordPress makes it from the login (user_nicename): lower case, anything but letters, digits, «_», «.» and «-» as «-». */
export function authorNicename(login: string): string {
  return login.trim().toLowerCase().replace(/[^\p{L}\p{N}_.-]+/gu, '-');
}
