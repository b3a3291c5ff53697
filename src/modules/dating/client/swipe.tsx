// The card stream's swipe: on top of the like / skip forms (which work alone,
// without JavaScript), a drag of the card (finger, pen or mouse) to the right
// likes and to the left skips; the → and ← keys do the same; the buttons stay
// where they are and stay focusable. The island only moves the card and submits
// the same form a press of its button would, so the server's answer (the next
// card, a match) is the same. Its stamps lie over the card (absolute): nothing
// below moves when it starts.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/** How far (a share of the card's width, at least THRESHOLD_PX) a drag must go to decide. */
const THRESHOLD = 0.3;
const THRESHOLD_PX = 80;

type Way = 'like' | 'skip';

function submit(card: HTMLElement, way: Way): boolean {
  const form = card.querySelector<HTMLFormElement>(`form[action$="/${way}"]`);
  if (!form) return false;
  form.requestSubmit();
  return true;
}

const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

function Swipe({ card, likeLabel, skipLabel, hint }: { card: HTMLElement; likeLabel: string; skipLabel: string; hint: string }) {
  const [dx, setDx] = useState(0);
  const [gone, setGone] = useState<Way | null>(null);
  const start = useRef<{ x: number; y: number; id: number } | null>(null);
  const moved = useRef(false);

  const decide = (way: Way) => {
    if (gone) return;
    setGone(way);
    setDx(way === 'like' ? card.offsetWidth : -card.offsetWidth);
    // Let the card leave first; the form's answer is a new page.
    window.setTimeout(() => submit(card, way) || setGone(null), 180);
  };

  useEffect(() => {
    const down = (e: PointerEvent) => {
      if (gone || e.button !== 0 || (e.target as HTMLElement).closest('button, input, textarea, select, summary')) return;
      start.current = { x: e.clientX, y: e.clientY, id: e.pointerId };
      moved.current = false;
    };
    const move = (e: PointerEvent) => {
      const s = start.current;
      if (!s || e.pointerId !== s.id) return;
      const x = e.clientX - s.x;
      // A mostly vertical move is a scroll, not a swipe.
      if (!moved.current && Math.abs(e.clientY - s.y) > Math.abs(x)) return;
      if (Math.abs(x) > 6 && !moved.current) {
        moved.current = true;
        card.setPointerCapture?.(e.pointerId);
      }
      if (moved.current) setDx(x);
    };
    const up = (e: PointerEvent) => {
      const s = start.current;
      if (!s || e.pointerId !== s.id) return;
      start.current = null;
      const x = e.clientX - s.x;
      if (moved.current && Math.abs(x) >= Math.max(THRESHOLD_PX, card.offsetWidth * THRESHOLD)) decide(x > 0 ? 'like' : 'skip');
      else setDx(0);
    };
    const cancel = () => {
      start.current = null;
      setDx(0);
    };
    // A drag over the card's link is not a click on it.
    const click = (e: MouseEvent) => {
      if (moved.current) {
        e.preventDefault();
        moved.current = false;
      }
    };
    const key = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
      if (e.key === 'ArrowRight') decide('like');
      else if (e.key === 'ArrowLeft') decide('skip');
      else return;
      e.preventDefault();
    };
    card.addEventListener('pointerdown', down);
    card.addEventListener('pointermove', move);
    card.addEventListener('pointerup', up);
    card.addEventListener('pointercancel', cancel);
    card.addEventListener('click', click, true);
    document.addEventListener('keydown', key);
    return () => {
      card.removeEventListener('pointerdown', down);
      card.removeEventListener('pointermove', move);
      card.removeEventListener('pointerup', up);
      card.removeEventListener('pointercancel', cancel);
      card.removeEventListener('click', click, true);
      document.removeEventListener('keydown', key);
    };
  }, [card, gone]);

  // The card itself moves (a transform: no reflow of what is around it).
  useEffect(() => {
    card.style.transform = dx ? `translateX(${dx}px) rotate(${Math.max(-12, Math.min(12, dx / 20))}deg)` : '';
    card.style.transition = start.current ? 'none' : 'transform .18s ease-out';
  }, [dx, card]);

  const share = Math.min(1, Math.abs(dx) / Math.max(THRESHOLD_PX, card.offsetWidth * THRESHOLD || THRESHOLD_PX));
  return (
    <>
      <span class="dating-swipe__stamp dating-swipe__stamp--like" style={{ opacity: dx > 0 ? share : 0 }} aria-hidden="true">
        {likeLabel}
      </span>
      <span class="dating-swipe__stamp dating-swipe__stamp--skip" style={{ opacity: dx < 0 ? share : 0 }} aria-hidden="true">
        {skipLabel}
      </span>
      <span class="visually-hidden" aria-live="polite">
        {gone ? (gone === 'like' ? likeLabel : skipLabel) : hint}
      </span>
    </>
  );
}

export function startDatingSwipe(card: HTMLElement): void {
  const label = (way: Way) => card.querySelector<HTMLFormElement>(`form[action$="/${way}"] button`)?.textContent?.trim() ?? '';
  if (!label('like') || !label('skip')) return;
  const layer = document.createElement('div');
  layer.className = 'dating-swipe';
  card.classList.add('dating-stream--swipe');
  card.append(layer);
  render(<Swipe card={card} likeLabel={label('like')} skipLabel={label('skip')} hint={card.dataset.hint ?? ''} />, layer);
  // Links and images are not dragged away by the browser's own drag (it would cancel the pointer).
  for (const el of card.querySelectorAll<HTMLElement>('a, img')) el.draggable = false;
  card.addEventListener('dragstart', (e) => e.preventDefault());
}
