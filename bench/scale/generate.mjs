// The scale bench's mesh: a deterministic (seeded) company of N data
// products, emitted twice: as registry registrations (the bodies of
// PUT /api/data-products/registry/products/:name) and as the same entities
// written as Components (the baseline, read from a file Location). The
// Domains, Groups, Systems and source Resources both need go to a catalog
// file of their own.

/** The demo organisation's domains (catalog-info/org.yaml): used, never emitted again. */
const DEMO_DOMAINS = ['sales', 'marketing', 'logistics'];

const DOMAIN_NAMES = [
  ...DEMO_DOMAINS,
  'finance',
  'customer-service',
  'supply-chain',
  'product',
  'people',
  'payments',
  'pricing',
  'inventory',
  'fulfillment',
  'returns',
  'loyalty',
  'advertising',
  'partnerships',
  'risk',
  'compliance',
  'procurement',
  'manufacturing',
  'billing',
  'tax',
  'treasury',
  'fraud',
  'web',
  'mobile',
  'search',
  'recommendations',
  'content',
  'security',
  'facilities',
  'sustainability',
  'research',
  'legal',
  'merchandising',
  'stores',
  'wholesale',
  'marketplace',
  'subscriptions',
];

/** Operational systems a source-aligned product reads a table of. */
const SOURCE_SYSTEMS = [
  'crm',
  'erp',
  'wms',
  'pos',
  'web',
  'app',
  'billing',
  'hris',
  'tms',
  'cms',
  'ledger',
  'ticketing',
];

const TYPES = {
  id: 'INTEGER',
  text: 'VARCHAR(100)',
  code: 'VARCHAR(20)',
  date: 'DATE',
  ts: 'TIMESTAMP',
  money: 'DECIMAL(12,2)',
  count: 'INTEGER',
  flag: 'BOOLEAN',
  ratio: 'DECIMAL(5,4)',
};

/** What products are about: each topic's columns, the first one its key. */
const TOPICS = {
  customers: [
    ['customer_id', 'id', 'Unique identifier for the customer.'],
    ['full_name', 'text', "The customer's full name."],
    ['email', 'text', "The customer's email address."],
    ['country', 'code', 'ISO country of the billing address.'],
    ['signup_date', 'date', 'The day the customer signed up.'],
    ['segment', 'code', 'Marketing segment.'],
  ],
  orders: [
    ['order_id', 'id', 'Unique identifier for the order.'],
    ['customer_id', 'id', 'The customer who ordered.'],
    ['order_date', 'date', 'The day the order was placed.'],
    ['total_amount', 'money', 'Order total in EUR.'],
    ['channel', 'code', 'Web, app or store.'],
    ['status', 'code', 'Order status.'],
  ],
  shipments: [
    ['shipment_id', 'id', 'Unique identifier for the shipment.'],
    ['order_id', 'id', 'The order shipped.'],
    ['carrier', 'code', 'Carrier code.'],
    ['shipped_at', 'ts', 'When it left the warehouse.'],
    ['delivered_at', 'ts', 'When it was delivered.'],
    ['delivery_status', 'code', 'Latest delivery status.'],
  ],
  invoices: [
    ['invoice_id', 'id', 'Unique identifier for the invoice.'],
    ['customer_id', 'id', 'The customer billed.'],
    ['issued_on', 'date', 'Issue date.'],
    ['amount', 'money', 'Amount in EUR.'],
    ['paid', 'flag', 'Whether it is paid.'],
  ],
  payments: [
    ['payment_id', 'id', 'Unique identifier for the payment.'],
    ['invoice_id', 'id', 'The invoice paid.'],
    ['paid_at', 'ts', 'When the payment cleared.'],
    ['amount', 'money', 'Amount in EUR.'],
    ['method', 'code', 'Card, transfer or wallet.'],
  ],
  products: [
    ['product_id', 'id', 'Unique identifier for the article.'],
    ['sku', 'code', 'Stock keeping unit.'],
    ['name', 'text', 'Article name.'],
    ['category', 'text', 'Category path.'],
    ['list_price', 'money', 'List price in EUR.'],
  ],
  inventory: [
    ['product_id', 'id', 'The article.'],
    ['warehouse_id', 'id', 'The warehouse.'],
    ['on_hand', 'count', 'Units on hand.'],
    ['reserved', 'count', 'Units reserved.'],
    ['counted_on', 'date', 'Day of the count.'],
  ],
  returns: [
    ['return_id', 'id', 'Unique identifier for the return.'],
    ['order_id', 'id', 'The order returned.'],
    ['reason', 'text', 'Return reason.'],
    ['refund_amount', 'money', 'Refund in EUR.'],
    ['received_on', 'date', 'Day the parcel came back.'],
  ],
  tickets: [
    ['ticket_id', 'id', 'Unique identifier for the ticket.'],
    ['customer_id', 'id', 'The customer.'],
    ['opened_at', 'ts', 'When it was opened.'],
    ['priority', 'code', 'Priority.'],
    ['resolved', 'flag', 'Whether it is resolved.'],
  ],
  sessions: [
    ['session_id', 'id', 'Unique identifier for the session.'],
    ['customer_id', 'id', 'The signed-in customer, if any.'],
    ['started_at', 'ts', 'Session start.'],
    ['page_views', 'count', 'Pages viewed.'],
    ['converted', 'flag', 'Whether it ended in an order.'],
  ],
  campaigns: [
    ['campaign_id', 'id', 'Unique identifier for the campaign.'],
    ['name', 'text', 'Campaign name.'],
    ['channel', 'code', 'Email, search or social.'],
    ['budget', 'money', 'Budget in EUR.'],
    ['starts_on', 'date', 'First day.'],
  ],
  employees: [
    ['employee_id', 'id', 'Unique identifier for the employee.'],
    ['department', 'text', 'Department.'],
    ['hired_on', 'date', 'Hire date.'],
    ['fte', 'ratio', 'Full-time equivalent.'],
  ],
  suppliers: [
    ['supplier_id', 'id', 'Unique identifier for the supplier.'],
    ['name', 'text', 'Supplier name.'],
    ['country', 'code', 'Country.'],
    ['rating', 'ratio', 'Quality rating.'],
  ],
};
const TOPIC_NAMES = Object.keys(TOPICS);

/** What consumer-aligned and aggregate products compute. */
const DERIVED = [
  '360',
  'daily',
  'weekly',
  'monthly',
  'kpis',
  'forecast',
  'cohorts',
  'churn',
  'margin',
  'funnel',
  'scores',
  'health',
  'summary',
  'trends',
  'ledger',
  'exposure',
];
const METRICS = [
  ['metric_date', 'date', 'The day the figures are for.'],
  ['value', 'money', 'The measured value.'],
  ['row_count', 'count', 'Rows the figure is computed from.'],
  ['share', 'ratio', 'Share of the total.'],
  ['is_final', 'flag', 'Whether the day is closed.'],
];

/** Share of the products at each chain depth: 0 is source-aligned, 6 the deepest consumer. */
const DEPTH_SHARES = [0.3, 0.25, 0.18, 0.12, 0.08, 0.05, 0.02];

/** A small seeded PRNG (mulberry32): the same seed gives the same mesh. */
function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = list => list[Math.floor(next() * list.length)];
  const weighted = weights => {
    let x = next() * weights.reduce((s, w) => s + w, 0);
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  };
  return { next, int, pick, weighted };
}

const titleCase = name =>
  name
    .split('-')
    .map(w => (/^\d/.test(w) ? w : w[0].toUpperCase() + w.slice(1)))
    .join(' ');

/** How many domains a mesh of `products` has: a handful, growing with N. */
export function domainCount(products) {
  return Math.max(
    4,
    Math.min(DOMAIN_NAMES.length, Math.round(Math.sqrt(products) / 3)),
  );
}

/** How many hub ports (read by 100+ products at N >= 1,000) a mesh has. */
export function hubCount(products) {
  return Math.max(2, Math.round((2 * products) / 1000));
}

/**
 * Generates the mesh of `products` data products with `seed`. Returns:
 * `catalog` (Domains, Groups, Systems, Resources: the catalog file both runs
 * load), `registrations` (`{ product, ports }` in registration order, inputs
 * before their consumers), `components` (the baseline: each product and port
 * as a Component), `hubs` (the hub ports' entity names with their readers)
 * and `stats`.
 */
export function generateMesh({ products: n, seed = 42 }) {
  const rnd = random(seed);
  const domains = DOMAIN_NAMES.slice(0, domainCount(n));
  const used = new Set([
    'sales-crm-customers',
    'sales-erp-orders',
    'logistics-wms-shipments',
    'marketing-customer-360',
  ]);
  const catalog = [];
  const groupsOf = new Map();
  for (const domain of domains) {
    if (!DEMO_DOMAINS.includes(domain)) {
      catalog.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Domain',
        metadata: {
          name: domain,
          title: titleCase(domain),
          description: `The ${titleCase(domain)} domain.`,
        },
        spec: { owner: `group:default/${domain}-data` },
      });
    }
    const teams = [`${domain}-data`, `${domain}-analytics`];
    groupsOf.set(domain, teams);
    for (const team of teams) {
      catalog.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: team, title: titleCase(team) },
        spec: { type: 'team', children: [] },
      });
    }
    // The baseline's Components are partOf this System, as DataProducts are partOf their Domain.
    catalog.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: `${domain}-data-products`,
        title: `${titleCase(domain)} data products`,
      },
      spec: { owner: `group:default/${domain}-data`, domain },
    });
  }

  // Chain depths: exactly the shares, at least one product at each depth when N allows.
  const counts = DEPTH_SHARES.map(share => Math.max(1, Math.round(share * n)));
  counts[0] += n - counts.reduce((s, c) => s + c, 0);
  const depths = counts.flatMap((count, depth) => Array(count).fill(depth));

  const resources = [];
  const registrations = [];
  const portsAtDepth = depths.map(() => []);
  const byDepth = Array.from({ length: DEPTH_SHARES.length }, () => []);
  const unique = base => {
    let name = base.slice(0, 48).replace(/-+$/, '');
    for (let k = 2; used.has(name); k++) name = `${base.slice(0, 44)}-${k}`;
    used.add(name);
    return name;
  };
  const hubs = hubCount(n);
  const hubPorts = [];
  const readers = new Map();
  const consumerCount = depths.filter(d => d > 0).length;
  const hubChance = Math.min(0.5, (hubs * 140) / Math.max(1, consumerCount));

  for (const depth of depths) {
    const domain = rnd.pick(domains);
    const owner = rnd.pick(groupsOf.get(domain));
    const topic = rnd.pick(TOPIC_NAMES);
    let name;
    let inputs;
    let type;
    let model;
    let source;
    if (depth === 0) {
      const system = rnd.pick(SOURCE_SYSTEMS);
      name = unique(`${domain}-${system}-${topic}`);
      const tables = rnd.weighted([80, 20]) + 1;
      inputs = [];
      for (let t = 0; t < tables; t++) {
        const table = `${system}_${t === 0 ? topic : rnd.pick(TOPIC_NAMES)}`;
        const resource = unique(`${domain}-${table.replace(/_/g, '-')}`);
        resources.push({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: resource,
            title: `${domain.replace(/-/g, '_')}_src.${table}`,
            annotations: {
              'dataproducts.io/table': `${domain.replace(
                /-/g,
                '_',
              )}_src.${table}`,
            },
            tags: ['postgres', 'operational'],
          },
          spec: { type: 'postgres-table', owner: `group:default/${owner}` },
        });
        inputs.push(`resource:default/${resource}`);
      }
      type = 'source-aligned';
      source = `${domain.replace(/-/g, '_')}_src.${system}_${topic}`;
    } else {
      name = unique(`${domain}-${topic}-${rnd.pick(DERIVED)}`);
      type = depth <= 2 && rnd.next() < 0.4 ? 'aggregate' : 'consumer-aligned';
      const wanted = rnd.weighted([35, 35, 20, 10]) + 1;
      const chosen = new Set();
      // One input one level up makes the chain exactly `depth` deep.
      const parents = portsAtDepth[depth - 1];
      chosen.add(rnd.pick(parents));
      if (hubPorts.length > 0 && rnd.next() < hubChance)
        chosen.add(rnd.pick(hubPorts));
      for (let tries = 0; chosen.size < wanted && tries < 20; tries++) {
        const d = rnd.int(0, depth - 1);
        const candidates = portsAtDepth[d].filter(p => p.domain === domain);
        const pool =
          candidates.length > 0 && rnd.next() < 0.7
            ? candidates
            : portsAtDepth[d];
        chosen.add(rnd.pick(pool));
      }
      inputs = [...chosen].map(p => `outputport:default/${p.entity}`);
      for (const p of chosen)
        readers.set(p.entity, (readers.get(p.entity) ?? 0) + 1);
      const sources = [...chosen].map(
        (p, i) => `{{ source('${p.product}', '${p.port}') }} AS i${i + 1}`,
      );
      model = `SELECT i1.*\nFROM ${sources[0]}${sources
        .slice(1)
        .map(s => `\nLEFT JOIN ${s} ON true`)
        .join('')}`;
    }
    const portCount = rnd.weighted([60, 30, 10]) + 1;
    const ports = [];
    const portNames = new Set();
    for (let p = 0; p < portCount; p++) {
      let portName =
        p === 0 ? topic : `${rnd.pick(TOPIC_NAMES)}_${rnd.pick(DERIVED)}`;
      while (portNames.has(portName)) portName = `${portName}_${p}`;
      portNames.add(portName);
      const vocabulary =
        depth === 0 || p === 0
          ? TOPICS[topic]
          : [...TOPICS[topic].slice(0, 2), ...METRICS];
      const columns = vocabulary
        .slice(0, Math.max(3, rnd.int(3, vocabulary.length)))
        .map(([column, kind, description]) => ({
          name: column,
          type: TYPES[kind],
          description,
        }));
      const entity = `${name}-${portName.replace(/_/g, '-')}`;
      ports.push({
        apiVersion: 'dataproducts.io/v1alpha1',
        kind: 'OutputPort',
        metadata: {
          name: entity,
          title: portName,
          description: `The ${portName} output port of ${titleCase(name)}.`,
        },
        spec: {
          dataProduct: name,
          owner: `group:default/${owner}`,
          name: portName,
          type: rnd.next() < 0.7 ? 'postgres-table' : 'postgres-view',
          access: 'restricted',
          ...(source ? { source } : { model }),
          columns,
        },
      });
      const ref = { entity, product: name, port: portName, domain };
      portsAtDepth[depth].push(ref);
      if (
        depth === 0 &&
        p === 0 &&
        hubPorts.length < hubs &&
        portsAtDepth[0].length % 7 === 3
      ) {
        hubPorts.push(ref);
      }
    }
    byDepth[depth].push(name);
    registrations.push({
      product: {
        apiVersion: 'dataproducts.io/v1alpha1',
        kind: 'DataProduct',
        metadata: {
          name,
          title: titleCase(name),
          description: `${titleCase(topic)} for ${titleCase(
            domain,
          )}, ${type} (chain depth ${depth}).`,
          tags: [topic, type, domain].map(t => t.slice(0, 63)),
        },
        spec: {
          type,
          lifecycle: rnd.next() < 0.9 ? 'production' : 'experimental',
          owner: `group:default/${owner}`,
          domain,
          schema: name.replace(/-/g, '_'),
          inputs,
        },
      },
      ports,
    });
  }

  const components = registrations.flatMap(({ product, ports }) => [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { ...product.metadata },
      spec: {
        type: 'data-product',
        lifecycle: product.spec.lifecycle,
        owner: product.spec.owner,
        system: `${product.spec.domain}-data-products`,
        dependsOn: product.spec.inputs.map(ref =>
          ref.replace(/^outputport:/, 'component:'),
        ),
      },
    },
    ...ports.map(port => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        ...port.metadata,
        annotations: {
          'dataproducts.io/columns': JSON.stringify(port.spec.columns),
        },
      },
      spec: {
        type: 'output-port',
        lifecycle: product.spec.lifecycle,
        owner: port.spec.owner,
        subcomponentOf: `component:default/${product.metadata.name}`,
      },
    })),
  ]);

  const portTotal = registrations.reduce((s, r) => s + r.ports.length, 0);
  return {
    catalog: [...catalog, ...resources],
    registrations,
    components,
    hubs: hubPorts.map(p => ({ ...p, readers: readers.get(p.entity) ?? 0 })),
    stats: {
      products: registrations.length,
      ports: portTotal,
      domains: domains.length,
      resources: resources.length,
      byDepth: byDepth.map(list => list.length),
      hubs: hubPorts.map(p => readers.get(p.entity) ?? 0),
      maxReaders: Math.max(0, ...readers.values()),
    },
  };
}

/**
 * The relations an entity has once the catalog holds it complete: for each
 * entity ref (lowercased), the `type targetRef` pairs it must carry.
 * Registry side: a product is ownedBy its owner, partOf its domain and
 * dependsOn each input; a port is partOf its product and ownedBy its owner.
 * Baseline side: the same with Components (a product partOf its domain's
 * System, a port partOf its product's Component through subcomponentOf).
 */
export function expectedRelations(mesh, side) {
  const expected = new Map();
  for (const { product, ports } of mesh.registrations) {
    const name = product.metadata.name;
    if (side === 'registry') {
      expected.set(`dataproduct:default/${name}`, [
        `ownedBy ${product.spec.owner}`,
        `partOf domain:default/${product.spec.domain}`,
        ...product.spec.inputs.map(ref => `dependsOn ${ref}`),
      ]);
      for (const port of ports) {
        expected.set(`outputport:default/${port.metadata.name}`, [
          `partOf dataproduct:default/${name}`,
          `ownedBy ${port.spec.owner}`,
        ]);
      }
    } else {
      expected.set(`component:default/${name}`, [
        `ownedBy ${product.spec.owner}`,
        `partOf system:default/${product.spec.domain}-data-products`,
        ...product.spec.inputs.map(
          ref => `dependsOn ${ref.replace(/^outputport:/, 'component:')}`,
        ),
      ]);
      for (const port of ports) {
        expected.set(`component:default/${port.metadata.name}`, [
          `partOf component:default/${name}`,
          `ownedBy ${port.spec.owner}`,
        ]);
      }
    }
  }
  for (const list of expected.values())
    list.forEach((r, i) => (list[i] = r.toLocaleLowerCase('en-US')));
  return expected;
}
