import { Content, Progress } from '@backstage/core-components';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { lazy, Suspense, useState } from 'react';
import { ProductExplorer } from './ProductExplorer';

// The mesh view (React Flow, and ELK in a worker) is loaded when its tab is
// first opened, so that the explorer's first rows never wait for it.
const MeshView = lazy(() =>
  import('../MeshView').then(m => ({ default: m.MeshView })),
);

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
      {tab === 0 ? (
        <ProductExplorer />
      ) : (
        <Suspense fallback={<Progress />}>
          <MeshView height="75vh" />
        </Suspense>
      )}
    </Content>
  );
}
