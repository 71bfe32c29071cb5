/**
 * An indicator's values no longer sit in the shared document (#12): they live
 * on the server and are entered on the indicator's measures screen. This panel
 * section is replaced by figures and a link to that screen (src/measures).
 */
export function Measurements(): null {
  return null;
}
