import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { alertApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityRefLink,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  dataProductDecommissionPermission,
  dataProductUpdatePermission,
} from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { dataProductsLifecycleApiRef } from '../../api/DataProductsLifecycleApi';
import { errorMessage } from '../../lib/errors';
import { rootRouteRef } from '../../routes';
import { DeleteDialog } from './DeleteDialog';
import { DeprecateDialog } from './DeprecateDialog';
import {
  deprecationOf,
  isRegistryProvided,
  LIFECYCLE_ACTION_PARAM,
  type LifecycleAction,
} from './lifecycle';

/**
 * A data product's lifecycle, on its page: experimental, production or
 * deprecated (with the sunset date, the replacement and the reason), with
 * Deprecate (or Withdraw deprecation) for those allowed `dataproduct.update`
 * and Delete for those allowed `dataproduct.decommission`. Products defined
 * in catalog files are changed in their files.
 */
export function LifecycleCard() {
  const { entity } = useEntity();
  const alertApi = useApi(alertApiRef);
  const catalogApi = useApi(catalogApiRef);
  const lifecycleApi = useApi(dataProductsLifecycleApiRef);
  const navigate = useNavigate();
  const explorer = useRouteRef(rootRouteRef);
  const [params, setParams] = useSearchParams();
  const resourceRef = stringifyEntityRef(entity);
  const update = usePermission({
    permission: dataProductUpdatePermission,
    resourceRef,
  });
  const decommission = usePermission({
    permission: dataProductDecommissionPermission,
    resourceRef,
  });
  const [localOpen, setLocalOpen] = useState<LifecycleAction>();
  const requested = params.get(
    LIFECYCLE_ACTION_PARAM,
  ) as LifecycleAction | null;
  const open = localOpen ?? requested ?? undefined;
  const close = () => {
    setLocalOpen(undefined);
    if (requested) {
      params.delete(LIFECYCLE_ACTION_PARAM);
      setParams(params, { replace: true });
    }
  };
  const refresh = () => catalogApi.refreshEntity(resourceRef).catch(() => {});

  const registry = isRegistryProvided(entity);
  const lifecycle = String(entity.spec?.lifecycle ?? 'production');
  const deprecation = deprecationOf(entity);

  const undeprecate = async () => {
    try {
      await lifecycleApi.undeprecate({
        kind: entity.kind,
        namespace: entity.metadata.namespace ?? 'default',
        name: entity.metadata.name,
      });
      alertApi.post({
        message: `${
          entity.metadata.title ?? entity.metadata.name
        } is in production again; the page shows it within seconds`,
        severity: 'success',
        display: 'transient',
      });
      await refresh();
    } catch (e) {
      alertApi.post({ message: errorMessage(e as Error), severity: 'error' });
    }
  };

  return (
    <InfoCard title="Lifecycle">
      <Box display="flex" alignItems="center" mb={1}>
        <Chip
          label={lifecycle}
          color={lifecycle === 'deprecated' ? 'secondary' : 'default'}
          size="small"
        />
      </Box>
      {deprecation && (
        <Box mb={1}>
          <Typography variant="body2">
            Sunset on <strong>{deprecation.sunset}</strong>
          </Typography>
          {deprecation.replacement && (
            <Typography variant="body2">
              Replacement:{' '}
              <EntityRefLink
                entityRef={deprecation.replacement}
                defaultKind="DataProduct"
              />
            </Typography>
          )}
          {deprecation.reason && (
            <Typography variant="body2" color="textSecondary">
              {deprecation.reason}
            </Typography>
          )}
        </Box>
      )}
      {registry ? (
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
          {deprecation ? (
            <Button
              size="small"
              variant="outlined"
              disabled={!update.allowed}
              onClick={undeprecate}
            >
              Withdraw deprecation
            </Button>
          ) : (
            <Button
              size="small"
              variant="outlined"
              disabled={!update.allowed}
              onClick={() => setLocalOpen('deprecate')}
            >
              Deprecate
            </Button>
          )}
          <Button
            size="small"
            variant="outlined"
            color="secondary"
            disabled={!decommission.allowed}
            onClick={() => setLocalOpen('delete')}
          >
            Delete
          </Button>
        </Box>
      ) : (
        <Typography variant="body2" color="textSecondary">
          This product is defined in a catalog file (
          {entity.metadata.annotations?.['backstage.io/managed-by-location'] ??
            'a catalog location'}
          ): change its lifecycle there.
        </Typography>
      )}
      {registry && update.allowed && (
        <DeprecateDialog
          product={entity}
          open={open === 'deprecate'}
          onClose={close}
          onDeprecated={async () => {
            close();
            alertApi.post({
              message: `${
                entity.metadata.title ?? entity.metadata.name
              } is deprecated; its consumers' owners were notified`,
              severity: 'success',
              display: 'transient',
            });
            await refresh();
          }}
        />
      )}
      {registry && decommission.allowed && (
        <DeleteDialog
          product={entity}
          open={open === 'delete'}
          onClose={close}
          onDeleted={() => {
            alertApi.post({
              message: `${
                entity.metadata.title ?? entity.metadata.name
              } was deleted: its schema, roles and grants are gone`,
              severity: 'success',
              display: 'transient',
            });
            // The product is gone: on to the explorer, which no longer lists it.
            navigate(explorer());
          }}
        />
      )}
    </InfoCard>
  );
}
