import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsApiRef } from '../../api';
import { LineageGraph } from '../LineageGraph';
import { ProductExplorer } from './ProductExplorer';

function MeshLineage() {
  const api = useApi(dataProductsApiRef);
  const state = useAsync(() => api.getLineage({}), [api]);
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  return <LineageGraph lineage={state.value!} height="75vh" />;
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
      {tab === 0 ? <ProductExplorer /> : <MeshLineage />}
    </Content>
  );
}
