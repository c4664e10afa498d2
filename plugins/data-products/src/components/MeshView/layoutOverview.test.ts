import type { MeshEdge, MeshNode } from '@dataproducts/plugin-data-products-common';
import { layoutOverview } from './layoutOverview';

const node = (id: string): MeshNode => ({
  id,
  kind: id === 'sources' ? 'sources' : 'domain',
  title: id,
  group: id,
  count: 1,
});
const edge = (source: string, target: string, flows = 1): MeshEdge => ({
  source,
  target,
  flows,
});
const SIZES = {
  nodeWidth: 200,
  nodeHeight: 60,
  columnGap: 100,
  rowGap: 20,
  laneHeight: 20,
  aspectRatio: 1.8,
};

describe('layoutOverview', () => {
  const nodes = ['sales', 'sources', 'marketing', 'finance', 'hr', 'legal'].map(
    node,
  );
  const edges = [
    edge('sources', 'sales', 9),
    edge('sales', 'marketing', 4),
    edge('marketing', 'finance', 2),
    // Passes the marketing column by.
    edge('sales', 'finance', 3),
    // Against the flow: finance feeds sales back.
    edge('finance', 'sales', 1),
  ];
  const { positions, routes } = layoutOverview(nodes, edges, SIZES);
  const column = (id: string) => positions.get(id)!.x / 300;

  it('places each domain a column right of the furthest domain it reads from, sources first', () => {
    expect(
      ['sources', 'sales', 'marketing', 'finance'].map(column),
    ).toEqual([0, 1, 2, 3]);
    // Domains without a drawn flow close the overview.
    expect(column('hr')).toBeGreaterThanOrEqual(4);
    expect(column('legal')).toBeGreaterThanOrEqual(4);
  });

  it('routes a flow that passes a column by through a lane of that column, clear of its domains', () => {
    const lane = routes.get('sales->finance')!;
    expect(lane).toHaveLength(1);
    const marketing = positions.get('marketing')!;
    expect(lane[0].x).toBe(marketing.x + SIZES.nodeWidth / 2);
    const clear =
      lane[0].y + SIZES.laneHeight / 2 <= marketing.y ||
      lane[0].y - SIZES.laneHeight / 2 >= marketing.y + SIZES.nodeHeight;
    expect(clear).toBe(true);
    // Neighbouring columns need no route; nor does the flow against the flow.
    expect(routes.has('sources->sales')).toBe(false);
    expect(routes.has('finance->sales')).toBe(false);
  });

  it('never places two domains on each other', () => {
    const placed = [...positions.values()];
    for (const [i, a] of placed.entries()) {
      for (const b of placed.slice(i + 1)) {
        const apart =
          Math.abs(a.x - b.x) >= SIZES.nodeWidth ||
          Math.abs(a.y - b.y) >= SIZES.nodeHeight;
        expect(apart).toBe(true);
      }
    }
  });

  it('lays the same graph out the same way, whatever the order it came in', () => {
    const again = layoutOverview([...nodes].reverse(), [...edges].reverse(), SIZES);
    for (const id of ['sources', 'sales', 'marketing', 'finance']) {
      expect(again.positions.get(id)!.x).toBe(positions.get(id)!.x);
    }
  });
});
