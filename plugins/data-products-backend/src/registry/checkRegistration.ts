import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DATA_PRODUCT_REGISTRY_BATCH_MAX_ITEMS,
  DATA_PRODUCT_KIND,
  isSameEntityRef,
  outputPortEntityName,
  parseDataProductRef,
  validateDataProductEntity,
  validateEntityName,
  validateOutputPortEntity,
  type DataProductRegistration,
} from '@dataproducts/plugin-data-products-common';

const isObject = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** How deep a registration may nest; entities nest a few levels. */
const MAX_DEPTH = 32;

/**
 * What no entity can hold, walked without recursion so that no body can
 * exhaust the stack: strings (or keys) with a NUL character, which no
 * PostgreSQL text can store, and nesting deeper than {@link MAX_DEPTH}.
 */
function unstorable(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const nul: string[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: body, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) nul.push(path);
    } else if (typeof value === 'object' && value !== null) {
      if (depth === MAX_DEPTH) {
        problems.push(
          `${path} nests deeper than ${MAX_DEPTH} levels; no entity field does`,
        );
        continue;
      }
      for (const [key, item] of Object.entries(value)) {
        const itemPath = Array.isArray(value)
          ? `${path}[${key}]`
          : `${path ? `${path}.` : ''}${key}`;
        if (key.includes('\u0000')) nul.push(`${itemPath} (a key)`);
        stack.push({ value: item, path: itemPath, depth: depth + 1 });
      }
    }
  }
  if (nul.length > 0) {
    problems.push(
      `${nul.sort().join(', ')} must not hold a NUL character (\\u0000)`,
    );
  }
  return problems;
}

function namespaceProblems(what: string, entity: Record<string, any>) {
  const namespace = entity.metadata?.namespace ?? DEFAULT_NAMESPACE;
  return namespace === DEFAULT_NAMESPACE
    ? []
    : [
        `${what} must live in namespace "${DEFAULT_NAMESPACE}" (self-service products do), not ${JSON.stringify(
          namespace,
        )}`,
      ];
}

function productProblems(name: string, product: unknown): string[] {
  if (!isObject(product)) {
    return ['product must be a DataProduct entity object'];
  }
  const problems = namespaceProblems('product', product);
  if (product.metadata?.name !== name) {
    problems.push(
      `product metadata.name ${JSON.stringify(
        product.metadata?.name,
      )} must equal the registry name ${JSON.stringify(name)}`,
    );
  }
  return [
    ...problems,
    ...validateDataProductEntity(product as Entity).map(
      p => `product: ${p.message}`,
    ),
  ];
}

/** Problems of one port that its own entity validation does not name. */
function portRelationProblems(
  name: string,
  port: Record<string, any>,
  i: number,
): string[] {
  const problems: string[] = [];
  const parent = port.spec?.dataProduct;
  if (typeof parent === 'string') {
    let parentRef;
    try {
      parentRef = parseDataProductRef(parent);
    } catch {
      parentRef = undefined;
    }
    const productRef = {
      kind: DATA_PRODUCT_KIND,
      namespace: DEFAULT_NAMESPACE,
      name,
    };
    if (!parentRef || !isSameEntityRef(parentRef, productRef)) {
      problems.push(
        `ports[${i}] spec.dataProduct ${JSON.stringify(
          parent,
        )} must name the product ${JSON.stringify(name)}`,
      );
    }
  }
  const portName = port.spec?.name;
  if (typeof portName === 'string') {
    const derived = outputPortEntityName(name, portName);
    if (port.metadata?.name !== derived) {
      problems.push(
        `ports[${i}] metadata.name ${JSON.stringify(
          port.metadata?.name,
        )} must be ${JSON.stringify(
          derived,
        )}: a port's entity name is its product's name and its port name`,
      );
    }
  }
  return problems;
}

function portProblems(name: string, ports: unknown): string[] {
  if (!Array.isArray(ports) || ports.length === 0) {
    return ['ports must be a non-empty array of OutputPort entities'];
  }
  const seen = new Set<string>();
  return ports.flatMap((port, i) => {
    if (!isObject(port)) {
      return [`ports[${i}] must be an OutputPort entity object`];
    }
    const problems = namespaceProblems(`ports[${i}]`, port);
    const portName = port.metadata?.name;
    if (typeof portName === 'string') {
      const key = portName.toLocaleLowerCase('en-US');
      if (seen.has(key)) {
        problems.push(`ports[${i}] metadata.name ${portName} is used twice`);
      }
      seen.add(key);
    }
    return [
      ...problems,
      ...portRelationProblems(name, port, i),
      ...validateOutputPortEntity(port as Entity).map(
        p => `ports[${i}]: ${p.message}`,
      ),
    ];
  });
}

/**
 * Checks the body of a registration: a DataProduct named `name` in the
 * default namespace, and its OutputPorts, each named after the product and
 * its port. Anything else in the body is refused, so that nothing a client
 * claims (a status, say) is taken for true. Throws an `InputError` naming
 * every problem.
 */
export function checkRegistration(
  name: string,
  body: unknown,
): DataProductRegistration {
  const nameRule = validateEntityName(name);
  if (nameRule) {
    throw new InputError(
      `Invalid product name ${JSON.stringify(name)}: ${nameRule}`,
    );
  }
  if (!isObject(body)) {
    throw new InputError(
      `Invalid data product ${JSON.stringify(
        name,
      )}: send a JSON object { product, ports }`,
    );
  }
  const { product, ports, ...rest } = body;
  const unfit = unstorable({ product, ports });
  const problems = [
    ...Object.keys(rest).map(
      key =>
        `${JSON.stringify(
          key,
        )} is not part of a registration: send { product, ports }${
          key === 'status' ? ' (the status is read from the warehouse)' : ''
        }`,
    ),
    ...(unfit.length > 0
      ? unfit
      : [...productProblems(name, product), ...portProblems(name, ports)]),
  ];
  if (problems.length > 0) {
    throw new InputError(
      `Invalid data product ${JSON.stringify(name)}: ${problems.join('; ')}`,
    );
  }
  return { product, ports };
}

/** At most this many problems are named in one refusal of a batch. */
const MAX_BATCH_PROBLEMS = 20;

/**
 * Checks the body of `POST /registry/products`: `{ items }` with 1 to
 * `DATA_PRODUCT_REGISTRY_BATCH_MAX_ITEMS` registrations, each as
 * `checkRegistration` checks it (named by its `product.metadata.name`), and
 * no product name twice. Throws one `InputError` naming every problem (the
 * first twenty), each with its item's index and product name.
 */
export function checkRegistrationBatch(
  body: unknown,
): DataProductRegistration[] {
  if (!isObject(body) || !Array.isArray(body.items)) {
    throw new InputError(
      'Invalid batch of data products: send a JSON object { items: [{ product, ports }, ...] }',
    );
  }
  const { items, ...rest } = body;
  const problems: string[] = Object.keys(rest).map(
    key => `${JSON.stringify(key)} is not part of a batch: send { items }`,
  );
  if (
    items.length === 0 ||
    items.length > DATA_PRODUCT_REGISTRY_BATCH_MAX_ITEMS
  ) {
    throw new InputError(
      `Invalid batch of data products: items has ${items.length} registrations; send 1 to ${DATA_PRODUCT_REGISTRY_BATCH_MAX_ITEMS} per request`,
    );
  }
  const registrations: DataProductRegistration[] = [];
  const seen = new Map<string, number>();
  items.forEach((item: unknown, i: number) => {
    const name =
      isObject(item) && isObject(item.product)
        ? (item.product as { metadata?: { name?: unknown } }).metadata?.name
        : undefined;
    if (typeof name !== 'string') {
      problems.push(
        `items[${i}] must be { product, ports } with a string product.metadata.name`,
      );
      return;
    }
    const key = name.toLocaleLowerCase('en-US');
    if (seen.has(key)) {
      problems.push(
        `items[${i}] registers ${JSON.stringify(
          name,
        )} again (as items[${seen.get(key)}] does); send each product once`,
      );
      return;
    }
    seen.set(key, i);
    try {
      registrations.push(checkRegistration(name, item));
    } catch (error) {
      problems.push(`items[${i}]: ${(error as Error).message}`);
    }
  });
  if (problems.length > 0) {
    const more = problems.length - MAX_BATCH_PROBLEMS;
    throw new InputError(
      `Invalid batch of data products, nothing registered: ${problems
        .slice(0, MAX_BATCH_PROBLEMS)
        .join('; ')}${more > 0 ? `; and ${more} more problems` : ''}`,
    );
  }
  return registrations;
}
