import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  RELATION_HAS_PART,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  catalogApiRef,
  getEntityRelations,
} from '@backstage/plugin-catalog-react';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { Navigate, useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { editTemplateUrl } from '../../lib/editForm';
import { isDataProduct } from '../../lib/relations';

/**
 * Edit a data product: opens the template the product was made with,
 * pre-filled from the product and its output port, whose last step shows
 * the plan's diff before anything is applied.
 */
export function EditDataProductPage() {
  const params = useParams();
  const [namespace, name] = (params['*'] ?? '').split('/');
  const catalogApi = useApi(catalogApiRef);
  const state = useAsync(async () => {
    const product = await catalogApi.getEntityByRef({
      kind: 'DataProduct',
      namespace: namespace || 'default',
      name: name ?? '',
    });
    if (!product || !isDataProduct(product)) return { product: undefined };
    const refs = getEntityRelations(product, RELATION_HAS_PART, {
      kind: 'OutputPort',
    }).map(ref => stringifyEntityRef(ref));
    const { items } = await catalogApi.getEntitiesByRefs({ entityRefs: refs });
    return {
      product: product as DataProductEntityV1alpha1,
      ports: items.filter(Boolean) as OutputPortEntityV1alpha1[],
    };
  }, [namespace, name]);

  let content;
  if (state.loading) {
    content = <Progress />;
  } else if (state.error) {
    content = <ResponseErrorPanel error={state.error} />;
  } else if (!state.value?.product) {
    content = (
      <WarningPanel
        title={`No data product ${namespace}/${name} in the catalog`}
        message="Open Edit from a data product's page."
      />
    );
  } else if (state.value.ports?.length !== 1) {
    content = (
      <WarningPanel
        title={`Data product ${name} has ${state.value.ports?.length} output ports`}
        message="The templates create and edit products with one output port. Change this product in the YAML of its catalog location."
      />
    );
  } else {
    return (
      <Navigate
        replace
        to={editTemplateUrl(state.value.product, state.value.ports[0])}
      />
    );
  }
  return (
    <Page themeId="tool">
      <Header title="Edit data product" />
      <Content>{content}</Content>
    </Page>
  );
}
