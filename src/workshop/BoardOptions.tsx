import { BOARDS, BOARD_LABELS } from '../../machines/entities.ts';

/** The four boards as the options of a select, by their names. */
export function BoardOptions() {
  return BOARDS.map((b) => (
    <option key={b} value={b}>
      {BOARD_LABELS[b]}
    </option>
  ));
}
