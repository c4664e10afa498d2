import {
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  DATA_PRODUCT_KIND,
  OUTPUT_PORT_KIND,
} from '@dataproducts/plugin-data-products-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsLifecycleApiRef } from '../../api/DataProductsLifecycleApi';
import { errorMessage } from '../../lib/errors';
import { today } from './lifecycle';

interface ReplacementOption {
  ref: string;
  title: string;
  kind: string;
}

/** Props of {@link DeprecateDialog}. */
export interface DeprecateDialogProps {
  product: Entity;
  open: boolean;
  onClose: () => void;
  /** Called once the backend deprecated the product. */
  onDeprecated: () => void;
}

/**
 * Asks for a sunset date (today or later), a replacement (a data product or
 * output port, picked by title) and a reason, and deprecates the product.
 */
export function DeprecateDialog(props: DeprecateDialogProps) {
  const { product, open, onClose, onDeprecated } = props;
  const catalogApi = useApi(catalogApiRef);
  const lifecycleApi = useApi(dataProductsLifecycleApiRef);
  const productRef = stringifyEntityRef(product);
  const [sunset, setSunset] = useState('');
  const [replacement, setReplacement] = useState<ReplacementOption | null>(
    null,
  );
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const options = useAsync(async (): Promise<ReplacementOption[]> => {
    if (!open) return [];
    const { items } = await catalogApi.getEntities({
      filter: [{ kind: DATA_PRODUCT_KIND }, { kind: OUTPUT_PORT_KIND }],
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    return items
      .map(entity => ({
        ref: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
        title: entity.metadata.title ?? entity.metadata.name,
        kind:
          entity.kind === DATA_PRODUCT_KIND ? 'Data products' : 'Output ports',
      }))
      .filter(option => option.ref !== productRef.toLocaleLowerCase('en-US'))
      .sort(
        (a, b) =>
          a.kind.localeCompare(b.kind) || a.title.localeCompare(b.title),
      );
  }, [catalogApi, open, productRef]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await lifecycleApi.deprecate(getCompoundEntityRef(product), {
        sunset,
        ...(replacement ? { replacement: replacement.ref } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      onDeprecated();
    } catch (e) {
      setError(errorMessage(e as Error));
    } finally {
      setBusy(false);
    }
  };

  const title = product.metadata.title ?? product.metadata.name;
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} aria-label={`Deprecate ${title}`}>
        <DialogTitle>Deprecate {title}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" paragraph>
            Consumers see a banner with the sunset date and the replacement, and
            their owners are notified. After the sunset date the product can be
            deleted once no consumer reads it any more.
          </Typography>
          <TextField
            id="deprecate-sunset"
            label="Sunset date"
            type="date"
            required
            fullWidth
            margin="normal"
            value={sunset}
            onChange={e => setSunset(e.target.value)}
            InputLabelProps={{ shrink: true }}
            inputProps={{ min: today(), 'aria-label': 'Sunset date' }}
            helperText="Today or later"
          />
          <Autocomplete
            options={options.value ?? []}
            loading={options.loading}
            groupBy={option => option.kind}
            getOptionLabel={option => option.title}
            getOptionSelected={(option, value) => option.ref === value.ref}
            value={replacement}
            onChange={(_event, value) => setReplacement(value)}
            renderInput={params => (
              <TextField
                {...params}
                label="Replacement"
                margin="normal"
                helperText="The data product or output port consumers should move to"
              />
            )}
          />
          <TextField
            id="deprecate-reason"
            label="Reason"
            fullWidth
            multiline
            minRows={2}
            margin="normal"
            value={reason}
            onChange={e => setReason(e.target.value)}
            helperText="Optional"
          />
          {error && <Alert severity="error">{error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !sunset || sunset < today()}
          >
            Deprecate
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
