/**
 * How far a board zooms out while its cards stay readable. Card names are
 * 0.88 rem (14 px) on a detailed card and 24 px on the simpler card shown when
 * zoomed out (the board's "overview", as map tools switch their level of
 * detail): so names never render under 11 px after a fit view.
 */

/** Below this zoom the cards show their name and sector colour only (14 px × 0.8 = 11.3 px). */
export const DETAIL_ZOOM = 0.8;

/** Fit view stops zooming out here: overview names are 24 px × 0.5 = 12 px on screen. */
export const FIT_MIN_ZOOM = 0.5;
