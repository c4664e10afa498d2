import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { AccessRequest } from '@dataproducts/plugin-data-products-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import ListSubheader from '@material-ui/core/ListSubheader';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { dataProductsAccessApiRef } from '../../api';
import {
  accessLevelExplanation,
  accessLevelOf,
  portName,
} from '../../lib/access';
import { errorMessage } from '../../lib/errors';
import { ConsumerOption, useConsumerOptions } from './useConsumerOptions';

/** Props of {@link RequestAccessDialog}. */
export interface RequestAccessDialogProps {
  /** The OutputPort entities to choose from; the first requestable one is chosen. */
  ports: Entity[];
  open: boolean;
  onClose: () => void;
  /** Called with the request the backend recorded. */
  onRequested: (request: AccessRequest) => void;
}

/** The end of a day picked in a date field, in the reader's time zone, as ISO. */
function endOfDay(day: string): string {
  return new Date(`${day}T23:59:59`).toISOString();
}

function tomorrow(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  return date.toISOString().slice(0, 10);
}

function consumerMenu(options: ConsumerOption[]) {
  const products = options.filter(o => o.kind === 'DataProduct');
  const groups = options.filter(o => o.kind === 'Group');
  const section = (title: string, items: ConsumerOption[]) =>
    items.length === 0
      ? []
      : [
          <ListSubheader key={title}>{title}</ListSubheader>,
          ...items.map(o => (
            <MenuItem key={o.ref} value={o.ref}>
              {o.title}
            </MenuItem>
          )),
        ];
  return [
    ...section('Data products of my groups', products),
    ...section('My groups', groups),
  ];
}

/**
 * Asks for read access to an output port: for which consumer (one of the
 * user's groups or a product they own), why, and until when. Explains the
 * port's access level; a private port cannot be requested.
 */
export function RequestAccessDialog(props: RequestAccessDialogProps) {
  const { ports, open, onClose, onRequested } = props;
  const accessApi = useApi(dataProductsAccessApiRef);
  const consumers = useConsumerOptions();
  const firstRequestable =
    ports.find(p => accessLevelOf(p) !== 'private') ?? ports[0];
  const [portRef, setPortRef] = useState(
    firstRequestable ? stringifyEntityRef(firstRequestable) : '',
  );
  const [consumer, setConsumer] = useState('');
  const [purpose, setPurpose] = useState('');
  const [until, setUntil] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();

  const port = ports.find(p => stringifyEntityRef(p) === portRef);
  const level = port ? accessLevelOf(port) : 'private';
  const chosenConsumer = consumer || consumers.value?.[0]?.ref || '';
  const canSubmit =
    level !== 'private' &&
    chosenConsumer !== '' &&
    purpose.trim() !== '' &&
    !submitting;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const request = await accessApi.requestAccess({
        port: portRef,
        consumer: chosenConsumer,
        purpose: purpose.trim(),
        ...(until ? { until: endOfDay(until) } : {}),
      });
      onRequested(request);
    } catch (e) {
      setError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} aria-label="Request access">
        <DialogTitle>Request access</DialogTitle>
        <DialogContent>
          {ports.length > 1 ? (
            <TextField
              id="request-access-port"
              select
              fullWidth
              margin="dense"
              label="Output port"
              value={portRef}
              onChange={e => setPortRef(e.target.value)}
            >
              {ports.map(p => (
                <MenuItem
                  key={stringifyEntityRef(p)}
                  value={stringifyEntityRef(p)}
                >
                  {portName(p)} ({accessLevelOf(p)})
                </MenuItem>
              ))}
            </TextField>
          ) : (
            <Typography variant="subtitle1">
              Output port: {port ? portName(port) : '—'}
            </Typography>
          )}
          <Alert severity={level === 'private' ? 'warning' : 'info'}>
            {accessLevelExplanation(level)}
          </Alert>
          {level !== 'private' && (
            <>
              {consumers.loading && <Progress />}
              {consumers.error && (
                <ResponseErrorPanel error={consumers.error} />
              )}
              {consumers.value?.length === 0 && (
                <Alert severity="warning">
                  You belong to no group, so there is no one to request access
                  for.
                </Alert>
              )}
              {consumers.value && consumers.value.length > 0 && (
                <TextField
                  id="request-access-consumer"
                  select
                  fullWidth
                  margin="dense"
                  label="Access for"
                  helperText="The group, or the data product of one of your groups, whose role gets read access."
                  value={chosenConsumer}
                  onChange={e => setConsumer(e.target.value)}
                >
                  {consumerMenu(consumers.value)}
                </TextField>
              )}
              <TextField
                id="request-access-purpose"
                fullWidth
                required
                multiline
                minRows={2}
                margin="dense"
                label="Purpose"
                helperText="What the data is for; the owners read this when they decide."
                value={purpose}
                onChange={e => setPurpose(e.target.value)}
              />
              <TextField
                id="request-access-until"
                fullWidth
                margin="dense"
                type="date"
                label="Until (optional)"
                helperText="Access ends at the end of this day; leave empty for no end."
                InputLabelProps={{ shrink: true }}
                inputProps={{ min: tomorrow() }}
                value={until}
                onChange={e => setUntil(e.target.value)}
              />
            </>
          )}
          {error && (
            <Alert severity="error" role="alert">
              {errorMessage(error)}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={!canSubmit}
          >
            Request
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
