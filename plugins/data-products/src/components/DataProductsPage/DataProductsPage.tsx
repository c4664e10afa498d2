import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsApiRef, dataProductsFreshnessApiRef } from '../../api';
import { dataProductsQualityApiRef } from '../../api/DataProductsQualityApi';
import { LineageGraph } from '../LineageGraph';
import { DataProductsTable, toProductRows } from './DataProductsTable';
import { NoDataProducts } from './NoDataProducts';

function MeshLineage() {
  const api = useApi(dataProductsApiRef);
  const state = useAsync(() => api.getLineage({}), [api]);
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  return <LineageGraph lineage={state.value!} height="75vh" />;
}

function ProductList() {
  const catalogApi = useApi(catalogApiRef);
  // Optional: an app without the freshness client shows no freshness chips.
  const freshnessApi = useApiHolder().get(dataProductsFreshnessApiRef);
  // Optional: an app without the quality client shows no quality chips.
  const qualityApi = useApiHolder().get(dataProductsQualityApiRef);
  const state = useAsync(async () => {
    const [{ items }, freshness, quality] = await Promise.all([
      catalogApi.getEntities({
        filter: { kind: ['DataProduct', 'OutputPort'] },
      }),
      // One request for every product's freshness; the list shows without
      // it when the backend cannot answer.
      freshnessApi?.getFreshness().catch(() => undefined),
      // Likewise the latest checks of every port, in one request.
      qualityApi?.getQualitySummaries().catch(() => undefined),
    ]);
    const byProduct = new Map(
      freshness?.products.map(p => [p.product, p]) ?? [],
    );
    return toProductRows(items).map(row => ({
      ...row,
      freshness: byProduct.get(row.id.toLocaleLowerCase('en-US')),
      quality: quality?.filter(
        port => port.product === row.product.metadata.name,
      ),
    }));
  }, [catalogApi, freshnessApi, qualityApi]);
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  if (!state.value?.length) return <NoDataProducts />;
  return <DataProductsTable rows={state.value ?? []} />;
}

/** The data product explorer: every product with filters and search, and the mesh-wide lineage. */
export function DataProductsPage() {
  const [tab, setTab] = useState(0);
  return (
    <Content>
      <Tabs
        value={tab}
        onChange={(_e, value) => setTab(value)}
        indicatorColor="primary"
        style={{ marginBottom: 16 }}
      >
        <Tab label="Products" />
        <Tab label="Mesh lineage" />
      </Tabs>
      {tab === 0 ? <ProductList /> : <MeshLineage />}
    </Content>
  );
}
