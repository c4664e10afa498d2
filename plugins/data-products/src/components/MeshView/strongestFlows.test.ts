import { strongestFlows } from './strongestFlows';

const edge = (source: string, target: string, flows: number) => ({
  source,
  target,
  flows,
});

describe('strongestFlows', () => {
  it("keeps each node's heaviest flows out and in, in the given order", () => {
    const edges = [
      edge('a', 'b', 1),
      edge('a', 'c', 9),
      edge('a', 'd', 5),
      edge('a', 'e', 3),
      edge('f', 'e', 1),
    ];
    // Each of these is the heaviest flow at one of its ends at least: a's
    // heaviest out is a→c, and a→b, a→d and a→e are the heaviest into b, d
    // and e; f→e is f's only flow out.
    expect(strongestFlows(edges, 1)).toEqual(edges);
    // With a second, lighter flow into b, a→b is weak at both ends.
    expect(
      strongestFlows([...edges, edge('g', 'b', 4)], 1).map(
        e => `${e.source}→${e.target}`,
      ),
    ).toEqual(['a→c', 'a→d', 'a→e', 'f→e', 'g→b']);
  });

  it('drops a flow that is weak at both of its ends', () => {
    const edges = [
      edge('a', 'x', 10),
      edge('a', 'y', 8),
      edge('b', 'x', 9),
      edge('b', 'y', 7),
      edge('a', 'z', 1),
      edge('c', 'z', 6),
      edge('d', 'z', 5),
    ];
    // a→z is a's third flow out and z's third flow in.
    expect(strongestFlows(edges, 2)).toEqual(
      edges.filter(e => !(e.source === 'a' && e.target === 'z')),
    );
  });

  it('breaks ties by the other end, so the same graph keeps the same flows', () => {
    const edges = [
      edge('a', 'c', 2),
      edge('a', 'b', 2),
      edge('a', 'd', 2),
      edge('q', 'b', 9),
      edge('q', 'c', 9),
      edge('q', 'd', 9),
      edge('r', 'b', 9),
      edge('r', 'c', 9),
      edge('r', 'd', 9),
    ];
    const kept = strongestFlows(edges, 2).filter(e => e.source === 'a');
    expect(kept).toEqual([edge('a', 'c', 2), edge('a', 'b', 2)]);
    expect(strongestFlows([...edges].reverse(), 2)).toEqual(
      strongestFlows(edges, 2).reverse(),
    );
  });

  it('keeps nothing of nothing', () => {
    expect(strongestFlows([], 2)).toEqual([]);
  });
});
