import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { useEffect, useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { suggestSchemaName } from './sourceColumns';

/** A field description without markdown code marks, for a helper text. */
const plainText = (text?: string) => text?.replace(/`/g, '');

/** ui:options of {@link DataProductSchemaPicker}. */
export interface DataProductSchemaPickerOptions {
  /** The form field holding the Domain's entity ref; default `domain`. */
  domainField?: string;
  /** The form field holding the source Resource's entity ref; default `source`. */
  sourceField?: string;
}

/**
 * The product's schema name, suggested from its domain and the source
 * table's system (`sales` + `crm` → `sales_crm`) until the user edits it.
 */
export const DataProductSchemaPicker = (
  props: FieldExtensionComponentProps<string, DataProductSchemaPickerOptions>,
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
  const options = uiSchema?.['ui:options'] ?? {};
  const domainRef = formContext?.formData?.[options.domainField ?? 'domain'];
  const sourceRef: string | undefined =
    formContext?.formData?.[options.sourceField ?? 'source'];
  const catalogApi = useApi(catalogApiRef);
  const { value: system } = useAsync(async () => {
    if (!sourceRef) {
      return undefined;
    }
    const entity = await catalogApi.getEntityByRef(sourceRef);
    return entity?.spec?.system as string | undefined;
  }, [catalogApi, sourceRef]);

  const suggestion = suggestSchemaName(domainRef, system);
  // How often each value was suggested. A suggested value was not typed by
  // the user, so a newer suggestion may replace it. The check runs on every
  // render, because rjsf can drop a change made at the same moment as another
  // field's; a few attempts per value keep that from looping.
  const suggested = useRef(new Map<string, number>());
  useEffect(() => {
    const untouched = !formData || suggested.current.has(formData);
    const attempts = suggestion ? suggested.current.get(suggestion) ?? 0 : 0;
    if (suggestion && untouched && formData !== suggestion && attempts < 3) {
      suggested.current.set(suggestion, attempts + 1);
      onChange(suggestion);
    }
  });

  return (
    <TextField
      id={idSchema?.$id}
      label={schema.title ?? 'Schema'}
      helperText={
        rawErrors?.length ? rawErrors.join(' ') : plainText(schema.description)
      }
      error={!!rawErrors?.length}
      required={required}
      fullWidth
      margin="normal"
      value={formData ?? ''}
      onChange={e => onChange(e.target.value || undefined)}
    />
  );
};
