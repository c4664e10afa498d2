import {
  DEFAULT_NAMESPACE,
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  defaultEntityPresentation,
} from '@backstage/plugin-catalog-react';
import type { OutputPortColumn } from '@dataproducts/plugin-data-products-common';
import useAsync from 'react-use/esm/useAsync';
import { ownerRef } from '../lib/relations';
import { sourceReferenceFor } from './sourceColumns';

/** An output port as the compose form offers it: with its product, owner and contract. */
export interface InputPortOption {
  /** The port's entity ref, the value the form stores. */
  ref: string;
  /** The port name, as `source()` spells it. */
  port: string;
  /** The product's title, e.g. "Sales CRM Customers". */
  product: string;
  /** The owner's display name, e.g. "Sales"; empty when unknown. */
  owner: string;
  /** The port's own description, else its product's. */
  description: string;
  /** The `{{ source('<product>', '<port>') }}` reference to the port. */
  reference?: string;
  /** The port's declared columns. */
  columns: OutputPortColumn[];
}

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'spec.dataProduct',
  'spec.name',
  'spec.owner',
  'spec.columns',
  'spec.profile.displayName',
  'relations',
];

/** An entity's display name (its title, a group's display name, else its name); empty for none. */
const titleOrEmpty = (entity: Entity | string | undefined) =>
  entity ? defaultEntityPresentation(entity).primaryTitle : '';

/**
 * Every OutputPort of the catalog as an {@link InputPortOption}, joined with
 * its DataProduct (title, description) and owning Group (display name),
 * sorted by product and port.
 */
export function toInputPortOptions(entities: Entity[]): InputPortOption[] {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  return entities
    .filter(e => e.kind.toLocaleLowerCase('en-US') === 'outputport')
    .map(port => {
      const spec = port.spec as {
        dataProduct?: string;
        name?: string;
        columns?: OutputPortColumn[];
      };
      const productRef = spec.dataProduct
        ? stringifyEntityRef(
            parseEntityRef(spec.dataProduct, {
              defaultKind: 'dataproduct',
              defaultNamespace: port.metadata.namespace ?? DEFAULT_NAMESPACE,
            }),
          )
        : undefined;
      const product = productRef ? byRef.get(productRef) : undefined;
      const owner = ownerRef(port) ?? (product && ownerRef(product));
      const ownerEntity = owner
        ? byRef.get(
            stringifyEntityRef(
              parseEntityRef(owner, {
                defaultKind: 'group',
                defaultNamespace: DEFAULT_NAMESPACE,
              }),
            ),
          )
        : undefined;
      return {
        ref: stringifyEntityRef(port),
        port: spec.name ?? port.metadata.name,
        product: titleOrEmpty(product ?? productRef),
        owner: titleOrEmpty(ownerEntity ?? owner),
        description:
          port.metadata.description || product?.metadata.description || '',
        reference: sourceReferenceFor(port),
        columns: (spec.columns ?? []).filter(column => column?.name),
      };
    })
    .sort(
      (a, b) =>
        a.product.localeCompare(b.product) || a.port.localeCompare(b.port),
    );
}

/** The catalog's output ports as {@link InputPortOption}s, read once per form. */
export function useInputPorts() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: [
        { kind: 'OutputPort' },
        { kind: 'DataProduct' },
        { kind: 'Group' },
      ],
      fields: FIELDS,
    });
    return toInputPortOptions(items);
  }, [catalogApi]);
}

/** "customers (Sales CRM Customers)": how a chosen input port reads in the form and its review. */
export function inputPortLabel(option: InputPortOption): string {
  return option.product ? `${option.port} (${option.product})` : option.port;
}
