// A draft outlives the page: a guest types, signs in (or registers and confirms in
// another tab) and finds the text waiting. Kept under its key (a comment form's
// article, a forum topic's reply box) for a week at most; a browser that refuses
// storage simply keeps no draft.
const DRAFT_DAYS = 7;

export function draftStore(key: string) {
  return {
    read(): string {
      try {
        const saved = JSON.parse(localStorage.getItem(key) ?? 'null') as { text: string; at: number } | null;
        return saved && Date.now() - saved.at < DRAFT_DAYS * 86_400_000 ? saved.text : '';
      } catch {
        return '';
      }
    },
    write(text: string) {
      try {
        if (text.trim()) localStorage.setItem(key, JSON.stringify({ text, at: Date.now() }));
        else localStorage.removeItem(key);
      } catch {
        /* storage full or disabled: no draft */
      }
    },
  };
}
