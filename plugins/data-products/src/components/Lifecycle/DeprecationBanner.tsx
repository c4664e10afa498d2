import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityRefLink,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  DATA_PRODUCT_KIND,
  getOutputPortProductRef,
  isDataProductEntity,
  isOutputPortEntity,
  getDataProductInputPortRefs,
} from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { deprecationOf } from './lifecycle';

/**
 * The deprecated products a page is about: the product itself, a port's
 * product, or the products whose ports a product reads.
 */
async function deprecatedProducts(
  entity: Entity,
  getEntitiesByRefs: (refs: string[]) => Promise<Array<Entity | undefined>>,
): Promise<Entity[]> {
  if (isDataProductEntity(entity)) {
    const own = deprecationOf(entity) ? [entity] : [];
    const portRefs = getDataProductInputPortRefs(entity).map(({ ref }) =>
      stringifyEntityRef(ref),
    );
    if (portRefs.length === 0) return own;
    const ports = (await getEntitiesByRefs(portRefs)).filter(
      (port): port is Entity => !!port && isOutputPortEntity(port),
    );
    const productRefs = [
      ...new Set(
        ports
          .filter(isOutputPortEntity)
          .map(port => stringifyEntityRef(getOutputPortProductRef(port))),
      ),
    ];
    const inputs = (await getEntitiesByRefs(productRefs)).filter(
      (product): product is Entity => !!deprecationOf(product),
    );
    return [...own, ...inputs];
  }
  if (isOutputPortEntity(entity)) {
    const [product] = await getEntitiesByRefs([
      stringifyEntityRef(getOutputPortProductRef(entity)),
    ]);
    return product && deprecationOf(product) ? [product] : [];
  }
  return [];
}

/**
 * A banner on the pages of a deprecated product, of its ports, and of every
 * product that reads its ports: the sunset date and the replacement, linked.
 */
export function DeprecationBanner() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(
    () =>
      deprecatedProducts(entity, async refs =>
        (await catalogApi.getEntitiesByRefs({ entityRefs: refs })).items.map(
          item => item ?? undefined,
        ),
      ),
    [entity, catalogApi],
  );
  if (!value || value.length === 0) return null;
  const self = stringifyEntityRef(entity);
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      {value.map(product => {
        const deprecation = deprecationOf(product)!;
        const ref = stringifyEntityRef(product);
        const title = product.metadata.title ?? product.metadata.name;
        let whose = `Its data product ${title}`;
        if (ref === self) whose = 'This data product';
        else if (isDataProductEntity(entity)) whose = `Input ${title}`;
        return (
          <Alert key={ref} severity="warning" role="alert">
            {whose} is deprecated: sunset on {deprecation.sunset}.{' '}
            {deprecation.replacement ? (
              <>
                Move to{' '}
                <EntityRefLink
                  entityRef={parseEntityRef(deprecation.replacement, {
                    defaultKind: DATA_PRODUCT_KIND,
                  })}
                />{' '}
                before then.
              </>
            ) : (
              'Stop reading it before then.'
            )}
            {deprecation.reason ? ` ${deprecation.reason}` : ''}
          </Alert>
        );
      })}
    </Box>
  );
}
