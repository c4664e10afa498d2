import { useApi } from '@backstage/core-plugin-api';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import type { AccessRequest } from '@dataproducts/plugin-data-products-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { dataProductsAccessApiRef } from '../../api';
import { errorMessage } from '../../lib/errors';

/** What an owner does with a request. */
export type Decision = 'approve' | 'deny' | 'revoke';

const wording: Record<
  Decision,
  { button: string; title: string; consequence: string; note: string }
> = {
  approve: {
    button: 'Approve',
    title: 'Approve access for',
    consequence:
      "Approving grants the port's reader role to the consumer's role in the warehouse.",
    note: 'Note (optional)',
  },
  deny: {
    button: 'Deny',
    title: 'Deny access for',
    consequence: 'The requester is told, with your note.',
    note: 'Reason (optional)',
  },
  revoke: {
    button: 'Revoke',
    title: 'Revoke access of',
    consequence:
      "Revoking takes the port's reader role from the consumer's role in the warehouse at once.",
    note: 'Reason (optional)',
  },
};

/** Props of {@link DecisionDialog}. */
export interface DecisionDialogProps {
  decision: Decision;
  request: AccessRequest;
  onClose: () => void;
  /** Called with the request as the backend answered it. */
  onDecided: (request: AccessRequest) => void;
}

/** Confirms an approval, denial or revocation, with a note for the requester. */
export function DecisionDialog(props: DecisionDialogProps) {
  const { decision, request, onClose, onDecided } = props;
  const accessApi = useApi(dataProductsAccessApiRef);
  const [note, setNote] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const words = wording[decision];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    const body = note.trim() ? { note: note.trim() } : {};
    try {
      const decide = {
        approve: () => accessApi.approveAccessRequest(request.id, body),
        deny: () => accessApi.denyAccessRequest(request.id, body),
        revoke: () => accessApi.revokeAccessRequest(request.id, body),
      }[decision];
      onDecided(await decide());
    } catch (e) {
      setError(e as Error);
      setSubmitting(false);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} aria-label={words.button}>
        <DialogTitle>
          {words.title} <EntityDisplayName entityRef={request.consumer} />
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Purpose: {request.purpose}
            <br />
            {words.consequence}
          </DialogContentText>
          <TextField
            id="access-decision-note"
            fullWidth
            multiline
            minRows={2}
            label={words.note}
            value={note}
            onChange={e => setNote(e.target.value)}
          />
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
            color={decision === 'approve' ? 'primary' : 'secondary'}
            variant="contained"
            disabled={submitting}
          >
            {words.button}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
