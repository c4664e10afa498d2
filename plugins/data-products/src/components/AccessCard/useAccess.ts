import {
  type Entity,
  RELATION_HAS_PART,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useRelatedEntities } from '@backstage/plugin-catalog-react';
import {
  type OutputPortEntityV1alpha1,
  type PortAccess,
  getOutputPortProductRef,
} from '@dataproducts/plugin-data-products-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataProductsAccessApiRef } from '../../api';
import { isDataProduct } from '../../lib/relations';

/** The product ref and the OutputPort entities whose access an entity page shows. */
export function useAccessPorts(entity: Entity): {
  productRef: string;
  ports?: Entity[];
  loading: boolean;
  error?: Error;
} {
  // A port has no parts: the catalog is asked only on a product's page.
  const related = useRelatedEntities(entity, {
    type: RELATION_HAS_PART,
    kind: 'outputport',
  });
  if (isDataProduct(entity)) {
    return {
      productRef: stringifyEntityRef(entity),
      ports: related.entities,
      loading: related.loading,
      error: related.error,
    };
  }
  return {
    productRef: stringifyEntityRef(
      getOutputPortProductRef(entity as OutputPortEntityV1alpha1),
    ),
    ports: [entity],
    loading: false,
  };
}

/** The readers and pending requests of one port. */
export interface PortAccessOf extends PortAccess {
  port: Entity;
}

/** Who can read each port and what waits for a decision; `retry` reloads. */
export function usePortAccess(ports: Entity[] | undefined) {
  const accessApi = useApi(dataProductsAccessApiRef);
  const refs = (ports ?? []).map(p => stringifyEntityRef(p)).join(',');
  return useAsyncRetry(
    async (): Promise<PortAccessOf[] | undefined> => {
      // Until the product's ports are known there is nothing to ask for.
      if (!ports) return undefined;
      return Promise.all(
        ports.map(async port => ({
          port,
          ...(await accessApi.getPortAccess(stringifyEntityRef(port))),
        })),
      );
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [accessApi, refs],
  );
}
