import { InfoCard, LinkButton } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { CREATE_PATH } from '../DataProductsPage/NoDataProducts';

/**
 * A pointer for the first run, beside the catalog's filters: while the
 * catalog holds no data product, it says how to create one or load the
 * demo. It shows nothing once there is a product (or while it asks).
 */
export function GetStartedCard() {
  const catalogApi = useApi(catalogApiRef);
  const { value: total } = useAsync(async () => {
    const { totalItems } = await catalogApi.queryEntities({
      filter: { kind: 'DataProduct' },
      limit: 1,
    });
    return totalItems;
  }, [catalogApi]);
  if (total !== 0) return null;
  return (
    <InfoCard title="No data products yet">
      <Typography variant="body2" paragraph>
        Create one from a template, or load the e-commerce example with{' '}
        <code>./portal demo</code>.
      </Typography>
      <LinkButton
        variant="contained"
        color="primary"
        size="small"
        to={CREATE_PATH}
      >
        Create a data product
      </LinkButton>
    </InfoCard>
  );
}
