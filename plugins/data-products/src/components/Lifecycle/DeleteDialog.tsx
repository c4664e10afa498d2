import { type Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsLifecycleApiRef } from '../../api/DataProductsLifecycleApi';
import { errorMessage } from '../../lib/errors';
import { deprecationOf, today } from './lifecycle';

/** Props of {@link DeleteDialog}. */
export interface DeleteDialogProps {
  product: Entity;
  open: boolean;
  onClose: () => void;
  /** Called once the product was decommissioned. */
  onDeleted: () => void;
}

/**
 * Deleting a product decommissions it: its schema, roles and grants are
 * dropped and it leaves the catalog. The dialog lists who still reads it
 * and refuses while anyone does.
 */
export function DeleteDialog(props: DeleteDialogProps) {
  const { product, open, onClose, onDeleted } = props;
  const lifecycleApi = useApi(dataProductsLifecycleApiRef);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const consumers = useAsync(
    async () =>
      open ? lifecycleApi.getConsumers(getCompoundEntityRef(product)) : [],
    [lifecycleApi, product, open],
  );
  const title = product.metadata.title ?? product.metadata.name;
  const schema = String(product.spec?.schema ?? '');
  const deprecation = deprecationOf(product);
  const blocked = (consumers.value ?? []).length > 0;

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await lifecycleApi.deleteProduct(getCompoundEntityRef(product));
      onDeleted();
    } catch (e) {
      setError(errorMessage(e as Error));
    } finally {
      setBusy(false);
    }
  };

  let explanation: string;
  if (!deprecation) {
    explanation =
      'Deprecate it first, with a sunset date and a replacement, so that its consumers are told to move.';
  } else if (deprecation.sunset < today()) {
    explanation = `Its sunset date ${deprecation.sunset} has passed, but these consumers still read it.`;
  } else {
    explanation = `It is deprecated until ${deprecation.sunset}; these consumers must move first.`;
  }

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>Delete {title}</DialogTitle>
      <DialogContent>
        {consumers.loading && <Progress />}
        {consumers.error && (
          <Alert severity="error">{errorMessage(consumers.error)}</Alert>
        )}
        {consumers.value && blocked && (
          <>
            <Alert severity="warning">
              {title} cannot be deleted while it has consumers. {explanation}{' '}
              Remove it from their inputs, or revoke their access, then delete
              it.
            </Alert>
            <List dense aria-label="Consumers">
              {consumers.value.map(consumer => (
                <ListItem key={consumer.ref}>
                  <ListItemText
                    primary={
                      <EntityRefLink
                        entityRef={consumer.ref}
                        title={consumer.title}
                      />
                    }
                    secondary={`reads ${consumer.ports
                      .map(port => port.split('/')[1])
                      .join(', ')} (${consumer.via
                      .map(via =>
                        via === 'input' ? 'declared input' : 'warehouse grant',
                      )
                      .join(', ')})`}
                  />
                </ListItem>
              ))}
            </List>
          </>
        )}
        {consumers.value && !blocked && (
          <Typography variant="body2">
            Nothing reads {title}. Deleting it drops schema{' '}
            <code>{schema}</code> with every port, its roles and grants in the
            warehouse, and removes it and its ports from the catalog. This
            cannot be undone.
          </Typography>
        )}
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={remove}
          disabled={busy || !consumers.value || blocked}
        >
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}
