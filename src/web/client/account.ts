// The header's account corner: cached pages are the same for everyone, so the
// signed-in reader's name comes from /api/me after the page loads.
export async function startAccount(el: HTMLElement): Promise<void> {
  const res = await fetch('/api/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) return;
  const me = (await res.json()) as { user: { displayName: string; role: string } | null; labels: { profile: string; signOut: string; admin?: string } };
  if (!me.user) return;
  el.textContent = '';
  const name = document.createElement("a");
  name.href = '/logout';
  name.textContent = me.user.displayName;
  const out = document.createElement('a');
  out.href = '/logout';
  out.textContent = me.labels.signOut;
  el.append(name, ' · ', out);
}
