import { EmptyState, LinkButton } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

/**
 * Where the app's scaffolder lists the templates (Backstage's default
 * `/create`); the two data product templates are there.
 */
export const CREATE_PATH = '/create';

/**
 * What the explorer shows while the catalog has no data product: create one
 * from a template, or load the e-commerce demo with `./portal demo`.
 */
export function NoDataProducts() {
  return (
    <EmptyState
      missing="data"
      title="No data products yet"
      description={
        <>
          <Typography variant="body1" component="span" display="block">
            Create one from a template: expose an operational table, or compose
            a product from the output ports of others.
          </Typography>
          <Typography variant="body1" component="span" display="block">
            Or load the e-commerce example (three source-aligned products and
            Marketing Customer 360): run <code>./portal demo</code> in the
            portal's folder.
          </Typography>
        </>
      }
      action={
        <LinkButton variant="contained" color="primary" to={CREATE_PATH}>
          Create a data product
        </LinkButton>
      }
    />
  );
}
