// Diagrams and tables wider than the screen scroll sideways inside their box (a phone at 390 px). Such a box is
// marked data-scrolls="right", "left" or "both" (the sides with more to see) and app.css fades that edge, so a
// student sees that it goes on. The marks follow the page's changes, the window's size and the box's own scrolling.
//
//   $effect(() => watchScrollers(mainElement));   // returns the function that stops watching

/** The boxes that can scroll sideways (app.css and the views give these overflow-x: auto). */
const CANDIDATES = '.panel, .scroll, .network, table';

/** Mark one box by where it can still scroll; unmark one that fits. A marked box with nothing inside to focus gets a
 *  tab stop, so the keyboard can scroll it too (WCAG 2.1.1, axe's scrollable-region-focusable); unmarked, it loses it. */
export function markScroller(box: HTMLElement): void {
  const more = box.scrollWidth - box.clientWidth;
  const overflow = more > 1 ? getComputedStyle(box).overflowX : 'visible';
  if (overflow !== 'auto' && overflow !== 'scroll') {
    box.removeAttribute('data-scrolls');
    if (box.hasAttribute('data-scroll-stop')) { box.removeAttribute('data-scroll-stop'); box.removeAttribute('tabindex'); }
    return;
  }
  if (!box.hasAttribute('tabindex') && !box.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')) {
    box.setAttribute('tabindex', '0');
    box.setAttribute('data-scroll-stop', '');
  }
  const left = box.scrollLeft > 1, right = box.scrollLeft < more - 1;
  const value = left && right ? 'both' : left ? 'left' : 'right';
  if (box.getAttribute('data-scrolls') !== value) box.setAttribute('data-scrolls', value);
}

export function watchScrollers(root: HTMLElement): () => void {
  let frame = 0;
  const check = () => { frame = 0; for (const box of root.querySelectorAll<HTMLElement>(CANDIDATES)) markScroller(box); };
  const schedule = () => { frame ||= requestAnimationFrame(check); };
  // the marks are attributes: watching only added and removed nodes and text never wakes itself
  const changes = new MutationObserver(schedule);
  changes.observe(root, { childList: true, subtree: true, characterData: true });
  const scrolled = (event: Event) => { if (event.target instanceof HTMLElement && event.target.hasAttribute('data-scrolls')) markScroller(event.target); };
  root.addEventListener('scroll', scrolled, { capture: true, passive: true });
  window.addEventListener('resize', schedule);
  schedule();
  return () => {
    changes.disconnect();
    root.removeEventListener('scroll', scrolled, { capture: true });
    window.removeEventListener('resize', schedule);
    if (frame) cancelAnimationFrame(frame);
  };
}
