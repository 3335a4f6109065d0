/**
 * Small-cell suppression (TRUST DP-14): a cell touching fewer than 11 households is never
 * published (« < 11 »), and complementary suppression makes sure it cannot be recomputed.
 *
 * A member publishes, per indicator and month, a total and two breakdowns of it: by department
 * and by QPV (in or out). Within a breakdown the cells add up to the total, so one hidden cell
 * would be the total less the others: whenever a breakdown whose total is published hides
 * exactly one cell, its smallest published cell is hidden too. A hidden total hides its whole
 * breakdown (each cell touches no more households than the total). Months are not added up by the
 * member, and the federation only adds published cells (and says how many it left out), so no
 * other sum reveals a hidden cell.
 */
import { type AggregateCell, type IndicatorId, indicators, SMALL_CELL_THRESHOLD } from '../../../contracts/indicators.ts';
import type { GroupCount } from './indicator-sources.ts';

type Cell = GroupCount & { hidden: boolean };

/** Apply the rules to one breakdown (cells adding up to `total`). */
function protect(total: Cell | undefined, cells: Cell[]) {
  for (const c of cells) if (c.households < SMALL_CELL_THRESHOLD || total === undefined || total.hidden) c.hidden = true;
  const hidden = cells.filter((c) => c.hidden);
  if (hidden.length !== 1) return;
  const smallest = cells.filter((c) => !c.hidden).sort((a, b) => a.value - b.value || a.dimension_value.localeCompare(b.dimension_value))[0];
  if (smallest) smallest.hidden = true;
}

/** The cells of one indicator as they may leave the member. */
export function suppress(id: IndicatorId, counts: GroupCount[]): AggregateCell[] {
  const byPeriod = new Map<string, Cell[]>();
  for (const c of counts) {
    const list = byPeriod.get(c.period) ?? [];
    list.push({ ...c, hidden: false });
    byPeriod.set(c.period, list);
  }
  const out: AggregateCell[] = [];
  for (const [, cells] of [...byPeriod].sort(([a], [b]) => a.localeCompare(b))) {
    const total = cells.find((c) => c.dimension === 'total');
    if (total && total.households < SMALL_CELL_THRESHOLD) total.hidden = true;
    protect(
      total,
      cells.filter((c) => c.dimension === 'department'),
    );
    protect(
      total,
      cells.filter((c) => c.dimension === 'qpv'),
    );
    for (const c of cells)
      out.push({
        indicatorId: id,
        indicatorVersion: indicators[id].version,
        period: `${c.period}-01`,
        dimension: c.dimension,
        dimensionValue: c.dimension_value,
        value: c.hidden ? null : c.value,
        suppressed: c.hidden,
      });
  }
  return out;
}
