import { Content } from '@backstage/core-components';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useState } from 'react';
import { MeshView } from '../MeshView';
import { ProductExplorer } from './ProductExplorer';

/** The data product explorer: every product with filters and search, and the mesh view of domains, products and the data flowing between them. */
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
      {tab === 0 ? <ProductExplorer /> : <MeshView height="75vh" />}
    </Content>
  );
}
