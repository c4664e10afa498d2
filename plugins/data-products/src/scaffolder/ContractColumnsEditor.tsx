import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type { OutputPortColumn } from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import { useRef, useState } from 'react';
import { dataProductsApiRef } from '../api';
import { errorMessage } from '../lib/errors';
import {
  contractFromModel,
  modelPosition,
  productNameFromTitle,
  unsupportedColumns,
} from './contractColumns';

/** ui:options of {@link ContractColumnsEditor}: the form fields the check reads. */
export interface ContractColumnsEditorOptions {
  /** The product's title, from which its entity name is derived; default `title`. */
  titleField?: string;
  /** The product's schema; default `schema`. */
  schemaField?: string;
  /** The output port name; default `portName`. */
  portField?: string;
  /** The input OutputPorts' entity refs; default `inputs`. */
  inputsField?: string;
  /** The model SQL; default `model`. */
  modelField?: string;
}

type CheckState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'filled'; count: number; unsupported: string[] }
  | { kind: 'failed'; message: string };

/**
 * The declared columns of a composed port, editable row by row, with
 * "Fill the contract from the SQL": the draft model goes to
 * `POST /api/data-products/models/check`, and the names and types
 * PostgreSQL infers become the declared columns (descriptions already
 * written for a column of the same name are kept). A model PostgreSQL
 * refuses shows the check's message, with the line and column it points at.
 */
export const ContractColumnsEditor = (
  props: FieldExtensionComponentProps<
    OutputPortColumn[],
    ContractColumnsEditorOptions
  >,
) => {
  const { formData, onChange, uiSchema, formContext, schema, rawErrors } =
    props;
  const options = uiSchema?.['ui:options'] ?? {};
  const form: Record<string, unknown> = formContext?.formData ?? {};
  const read = (field: string | undefined, fallback: string) =>
    form[field ?? fallback];
  const title = String(read(options.titleField, 'title') ?? '');
  const schemaName = String(read(options.schemaField, 'schema') ?? '');
  const port = String(read(options.portField, 'portName') ?? '');
  const model = String(read(options.modelField, 'model') ?? '');
  const inputs = (read(options.inputsField, 'inputs') as string[]) ?? [];
  const api = useApi(dataProductsApiRef);
  const [check, setCheck] = useState<CheckState>({ kind: 'idle' });

  // The rows as this editor last set them. Two edits in quick succession (a
  // fast typist, a busy machine) each build on the one before, even when the
  // form has not rendered the first yet; the form's data is taken again only
  // when it changes from outside (a pre-filled Edit, Back, Fill from the SQL).
  // The form pre-fills an array that has minItems with one empty item.
  const received = useRef(formData);
  const rows = useRef((formData ?? []).filter(Boolean));
  if (formData !== received.current) {
    received.current = formData;
    rows.current = (formData ?? []).filter(Boolean);
  }
  const columns = rows.current;
  const emit = (next: OutputPortColumn[]) => {
    rows.current = next;
    onChange(next);
  };
  const missing = [
    !productNameFromTitle(title) && 'the title',
    !schemaName && 'the schema',
    !port && 'the output port name',
    !model.trim() && 'the model SQL',
  ].filter(Boolean);

  const fill = async () => {
    setCheck({ kind: 'checking' });
    try {
      const result = await api.checkModel({
        product: {
          name: productNameFromTitle(title),
          schema: schemaName,
          inputs: inputs.filter(Boolean),
        },
        port,
        model,
      });
      const filled = contractFromModel(result.columns, rows.current);
      emit(filled);
      setCheck({
        kind: 'filled',
        count: filled.length,
        unsupported: unsupportedColumns(filled),
      });
    } catch (error) {
      setCheck({ kind: 'failed', message: errorMessage(error as Error) });
    }
  };

  const update = (index: number, change: Partial<OutputPortColumn>) =>
    emit(
      rows.current.map((column, i) =>
        i === index ? { ...column, ...change } : column,
      ),
    );
  const remove = (index: number) =>
    emit(rows.current.filter((_, i) => i !== index));
  const add = () => emit([...rows.current, { name: '', type: '' }]);
  const position = check.kind === 'failed' && modelPosition(check.message);

  return (
    <FormControl margin="normal" fullWidth error={!!rawErrors?.length}>
      <Typography variant="subtitle1" component="h2">
        {schema.title ?? 'Declared columns'}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="textSecondary">
          {schema.description}
        </Typography>
      )}
      <Box mt={1} mb={1} display="flex" alignItems="center" style={{ gap: 16 }}>
        <Button
          variant="outlined"
          color="primary"
          disabled={missing.length > 0 || check.kind === 'checking'}
          onClick={fill}
        >
          Fill the contract from the SQL
        </Button>
        <Typography variant="body2" color="textSecondary">
          {missing.length > 0
            ? `Write ${missing.join(', ')} on the earlier pages first.`
            : 'PostgreSQL runs the model with LIMIT 0 and reports its columns and types; nothing is created.'}
        </Typography>
      </Box>
      {check.kind === 'checking' && (
        <FormHelperText>
          Asking PostgreSQL what the model produces…
        </FormHelperText>
      )}
      {check.kind === 'filled' && (
        <Alert severity={check.unsupported.length ? 'warning' : 'success'}>
          Filled {check.count} {check.count === 1 ? 'column' : 'columns'} from
          what PostgreSQL infers.
          {check.unsupported.length > 0 &&
            ` Not a documented contract type: ${check.unsupported.join(
              ', ',
            )}. Cast it in the model SQL, e.g. ::TEXT or ::NUMERIC(12,2).`}
        </Alert>
      )}
      {check.kind === 'failed' && (
        <Alert severity="error" aria-label="The model check failed">
          {position && (
            <Typography variant="subtitle2">
              Line {position.line}, column {position.column} of the model SQL
            </Typography>
          )}
          <Typography
            variant="body2"
            component="pre"
            style={{ whiteSpace: 'pre-wrap', margin: 0 }}
          >
            {check.message}
          </Typography>
        </Alert>
      )}
      <Table size="small" aria-label="Declared columns">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Description</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {columns.map((column, index) => (
            // Rows are edited in place, names included: the index is the row.
            <TableRow key={index}>
              <TableCell>
                <TextField
                  fullWidth
                  value={column.name ?? ''}
                  onChange={e => update(index, { name: e.target.value })}
                  inputProps={{
                    'aria-label': `Name of column ${index + 1}`,
                    spellCheck: false,
                    style: { fontFamily: 'monospace' },
                  }}
                />
              </TableCell>
              <TableCell>
                <TextField
                  fullWidth
                  value={column.type ?? ''}
                  onChange={e => update(index, { type: e.target.value })}
                  inputProps={{
                    'aria-label': `Type of column ${index + 1}`,
                    spellCheck: false,
                    style: { fontFamily: 'monospace' },
                  }}
                />
              </TableCell>
              <TableCell>
                <TextField
                  fullWidth
                  value={column.description ?? ''}
                  onChange={e => update(index, { description: e.target.value })}
                  inputProps={{
                    'aria-label': `Description of column ${index + 1}`,
                  }}
                />
              </TableCell>
              <TableCell padding="none">
                <IconButton
                  aria-label={`Drop column ${index + 1}`}
                  size="small"
                  onClick={() => remove(index)}
                >
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box mt={1}>
        <Button size="small" onClick={add}>
          Add a column
        </Button>
      </Box>
      {rawErrors?.map(message => (
        <FormHelperText key={message}>{message}</FormHelperText>
      ))}
    </FormControl>
  );
};
