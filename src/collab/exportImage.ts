import { toPng, toSvg } from 'html-to-image';
import { saveDownload } from '../kit/download.ts';

/**
 * What never belongs in an exported picture of a board: React Flow's controls,
 * minimap, attribution and other panels, collaboration overlays (cursors, who
 * has what selected), and anything marked `data-export="exclude"`.
 */
const EXCLUDED_CLASSES = [
  'react-flow__controls',
  'react-flow__minimap',
  'react-flow__attribution',
  'react-flow__panel',
  'collab-overlay',
];

/** html-to-image's filter: false leaves the node (and everything in it) out. */
export function includeInExport(node: Node): boolean {
  if (!(node instanceof Element)) return true;
  if (EXCLUDED_CLASSES.some((name) => node.classList.contains(name))) return false;
  return node.getAttribute('data-export') !== 'exclude';
}

/** `name` made safe as a download name, ending in `.format`. */
export function exportFileName(name: string, format: 'png' | 'svg'): string {
  const base = name
    .replace(/\.(png|svg)$/i, '')
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .trim()
    .slice(0, 120);
  return `${base || 'board'}.${format}`;
}

/**
 * Saves a picture of `element` (a board, as shown now) as a PNG or SVG
 * download, on white, without controls, minimap, attribution or live cursors.
 * Rejects when the picture cannot be made (e.g. the element is not displayed).
 */
export async function exportBoardImage(element: HTMLElement, format: 'png' | 'svg', fileName: string): Promise<void> {
  const options = {
    backgroundColor: '#ffffff',
    filter: includeInExport,
    pixelRatio: format === 'png' ? Math.max(2, window.devicePixelRatio || 1) : 1,
    cacheBust: true,
  };
  const dataUrl = format === 'png' ? await toPng(element, options) : await toSvg(element, options);
  saveDownload(dataUrl, exportFileName(fileName, format));
}
