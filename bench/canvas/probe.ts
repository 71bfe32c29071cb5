/**
 * What the canvas benchmark runs inside the page. Each function is handed to
 * Playwright (addInitScript / evaluate / waitForFunction), which sends its
 * source text to the page: a function may use its argument and browser globals
 * only, nothing else from this module.
 *
 * tsx compiles with esbuild's keepNames, which wraps named inner functions in
 * a `__name(fn, "name")` helper that exists in Node only; NAME_SHIM defines it
 * in the page first.
 */

export const NAME_SHIM = 'globalThis.__name = (fn) => fn;';

export interface RenderMarks {
  /** performance.now() (milliseconds since navigation start) when the first card was in the DOM. */
  firstCardMs: number | null;
  /** When the connection status first said "Live" (Convene only). */
  liveMs: number | null;
  /** When every card was in the DOM and measured (and, for Convene, the status "Live"). */
  renderedMs: number | null;
}

interface ProbeWindow {
  __benchRender?: RenderMarks;
  __benchFrames?: FrameRecord & { stop: boolean };
}

/**
 * Installed before the page's own scripts: checks every animation frame from
 * navigation start until `expected` cards are rendered (React Flow shows a
 * node once it is measured: no `visibility: hidden`) and, with `needLive`, the
 * connection status says "Live". Gives up after a minute.
 */
export function watchFirstRender(arg: { expected: number; needLive: boolean }): void {
  const marks: RenderMarks = { firstCardMs: null, liveMs: null, renderedMs: null };
  (window as unknown as ProbeWindow).__benchRender = marks;
  const isLive = () => {
    for (const el of document.querySelectorAll('[role="status"]')) {
      if ((el as HTMLElement).dataset.status === 'live' || el.textContent?.trim() === 'Live') return true;
    }
    return false;
  };
  const tick = () => {
    const now = performance.now();
    const nodes = document.getElementsByClassName('react-flow__node');
    if (marks.firstCardMs === null && nodes.length > 0) marks.firstCardMs = now;
    if (marks.liveMs === null && arg.needLive && isLive()) marks.liveMs = now;
    if (nodes.length >= arg.expected && (!arg.needLive || marks.liveMs !== null)) {
      let shown = true;
      for (const node of nodes) {
        if ((node as HTMLElement).style.visibility === 'hidden') {
          shown = false;
          break;
        }
      }
      if (shown) {
        marks.renderedMs = now;
        return;
      }
    }
    if (now < 60_000) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** The render marks once every card is shown, else null (for waitForFunction). */
export function renderedMarks(): RenderMarks | null {
  const marks = (window as unknown as ProbeWindow).__benchRender;
  return marks && marks.renderedMs !== null ? marks : null;
}

export interface FrameRecord {
  /** The time of every animation frame (ms). */
  times: number[];
  /** Pointer moves the page received (the browser merges those that arrive within one frame)… */
  moves: number;
  /** …and the moves they stand for (getCoalescedEvents). */
  coalescedMoves: number;
  /** Changes to the watched element's style (a card or the viewport moving on screen). */
  styleChanges: number;
}

/**
 * Starts recording the time of every animation frame, counting pointer moves,
 * and counting style changes of the element `watch` (a CSS selector), if any.
 */
export function startFrames(watch: string | null): void {
  const w = window as unknown as ProbeWindow;
  const state = { times: [] as number[], moves: 0, coalescedMoves: 0, styleChanges: 0, stop: false };
  w.__benchFrames = state;
  const watched = watch ? document.querySelector(watch) : null;
  const observer = new MutationObserver((records) => (state.styleChanges += records.length));
  if (watched) observer.observe(watched, { attributes: true, attributeFilter: ['style'] });
  const onMove = (event: PointerEvent) => {
    state.moves++;
    state.coalescedMoves += Math.max(1, event.getCoalescedEvents?.().length ?? 1);
  };
  window.addEventListener('pointermove', onMove, { capture: true });
  const tick = (time: number) => {
    if (state.stop) {
      window.removeEventListener('pointermove', onMove, { capture: true });
      observer.disconnect();
      return;
    }
    state.times.push(time);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Stops recording; answers what was recorded. */
export function stopFrames(): FrameRecord {
  const state = (window as unknown as ProbeWindow).__benchFrames;
  if (!state) return { times: [], moves: 0, coalescedMoves: 0, styleChanges: 0 };
  state.stop = true;
  return {
    times: state.times,
    moves: state.moves,
    coalescedMoves: state.coalescedMoves,
    styleChanges: state.styleChanges,
  };
}

/**
 * A point of the empty canvas (the React Flow pane itself: no card, link or
 * control under it, nor 3 px around), in screen pixels. A board that fits keeps
 * a band free below the cards (FIT_VIEW_OPTIONS pads the bottom by 110 px, for
 * the minimap); a large one, whose fitted view stops at the legible zoom
 * (FIT_MIN_ZOOM), has gaps between its cards. The search starts in the middle
 * of that band and spreads out over the whole canvas in 5 px steps; it gives
 * up after 3,000 tries (each is a hit test, slow on a full canvas).
 */
export function emptyPanePoint(): { x: number; y: number } | null {
  const flow = document.querySelector('.react-flow');
  if (!flow) return null;
  const rect = flow.getBoundingClientRect();
  const cx = rect.left + rect.width / 2;
  const cy = rect.bottom - 55;
  const candidates: { x: number; y: number; d: number }[] = [];
  for (let x = rect.left + 20; x < rect.right - 20; x += 5) {
    for (let y = rect.top + 20; y < rect.bottom - 20; y += 5) candidates.push({ x, y, d: Math.hypot(x - cx, y - cy) });
  }
  candidates.sort((a, b) => a.d - b.d);
  const onPane = (x: number, y: number) => !!document.elementFromPoint(x, y)?.classList.contains('react-flow__pane');
  for (const { x, y } of candidates.slice(0, 3000)) {
    if (onPane(x, y) && onPane(x - 3, y) && onPane(x + 3, y) && onPane(x, y - 3) && onPane(x, y + 3)) return { x, y };
  }
  return null;
}
