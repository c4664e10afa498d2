import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useRef } from 'react';
import { type InputPortOption, useInputPorts } from './inputPorts';

/** A field description without markdown code marks, for a helper text. */
const plainText = (text?: string) => text?.replace(/`/g, '');

/** ui:options of {@link ModelSqlEditor}. */
export interface ModelSqlEditorOptions {
  /** The form field holding the input OutputPorts' entity refs; default `inputs`. */
  inputsField?: string;
}

/** The columns and types of one chosen input, from its contract. */
function InputColumns(props: {
  input: InputPortOption;
  onInsert: (text: string) => void;
}) {
  const { input, onInsert } = props;
  return (
    <Box mb={2}>
      {input.reference && (
        <Chip
          size="small"
          label={input.reference}
          onClick={() => onInsert(input.reference!)}
          style={{ maxWidth: '100%' }}
        />
      )}
      <Typography variant="caption" color="textSecondary" component="div">
        {input.port}
        {input.product && ` of ${input.product}`}
        {input.owner && ` (${input.owner})`}
      </Typography>
      {input.columns.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Its contract declares no columns.
        </Typography>
      ) : (
        <Table size="small" aria-label={`Columns of ${input.port}`}>
          <TableBody>
            {input.columns.map(column => (
              <TableRow
                key={column.name}
                hover
                style={{ cursor: 'pointer' }}
                title={column.description ?? `Insert ${column.name}`}
                onClick={() => onInsert(column.name)}
              >
                <TableCell padding="none">
                  <code>{column.name}</code>
                </TableCell>
                <TableCell padding="none" align="right">
                  <code>{column.type}</code>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

/**
 * A code field for model SQL: monospace, with the chosen inputs beside it.
 * Each input shows its `{{ source('<product>', '<port>') }}` reference and
 * its declared columns with their types; a click inserts the reference or
 * the column name at the cursor.
 */
export const ModelSqlEditor = (
  props: FieldExtensionComponentProps<string, ModelSqlEditorOptions>,
) => {
  const {
    formData,
    onChange,
    uiSchema,
    formContext,
    schema,
    rawErrors,
    required,
    idSchema,
  } = props;
  const inputsField = uiSchema?.['ui:options']?.inputsField ?? 'inputs';
  const inputs: string[] = formContext?.formData?.[inputsField] ?? [];
  const { value: ports = [] } = useInputPorts();
  const chosen = inputs.flatMap(ref => ports.filter(port => port.ref === ref));
  const textRef = useRef<HTMLTextAreaElement>(null);

  const insert = (text: string) => {
    const current = formData ?? '';
    const element = textRef.current;
    const start = element?.selectionStart ?? current.length;
    const end = element?.selectionEnd ?? current.length;
    onChange(`${current.slice(0, start)}${text}${current.slice(end)}`);
  };

  return (
    <Box mt={2} mb={1}>
      <Grid container spacing={2}>
        <Grid item xs={12} md={chosen.length > 0 ? 8 : 12}>
          <TextField
            id={idSchema?.$id}
            label={schema.title ?? 'Model SQL'}
            helperText={
              rawErrors?.length
                ? rawErrors.join(' ')
                : plainText(schema.description)
            }
            error={!!rawErrors?.length}
            required={required}
            fullWidth
            multiline
            minRows={12}
            variant="outlined"
            inputRef={textRef}
            inputProps={{
              spellCheck: false,
              style: { fontFamily: 'monospace', fontSize: '0.875rem' },
            }}
            value={formData ?? ''}
            onChange={e => onChange(e.target.value)}
          />
        </Grid>
        {chosen.length > 0 && (
          <Grid item xs={12} md={4}>
            <Typography variant="subtitle2" gutterBottom>
              The inputs' columns
            </Typography>
            <Typography
              variant="caption"
              color="textSecondary"
              component="p"
              gutterBottom
            >
              Click a reference or a column to insert it at the cursor.
            </Typography>
            {chosen.map(input => (
              <InputColumns key={input.ref} input={input} onInsert={insert} />
            ))}
          </Grid>
        )}
      </Grid>
    </Box>
  );
};
