import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';

/** ui:options of {@link EntityNamesForReview}. */
export interface EntityNamesForReviewOptions {
  /** The form field holding the entity ref (or refs) to name. */
  entityField: string;
}

/**
 * A field that shows nothing and holds the display names of the entities
 * another field refers to ("Sales" for `group:default/sales`; an output port
 * as "customers (Sales CRM Customers)"), so the Review step reads names
 * rather than refs. The field with the refs hides itself from the review
 * (`ui:backstage: { review: { show: false } }`) and this one is reviewed
 * under its title.
 */
export const EntityNamesForReview = (
  props: FieldExtensionComponentProps<string, EntityNamesForReviewOptions>,
) => {
  const { formData, onChange, uiSchema, formContext } = props;
  const entityField = uiSchema?.['ui:options']?.entityField ?? '';
  const value: unknown = formContext?.formData?.[entityField];
  const refs = (Array.isArray(value) ? value : [value]).filter(
    (ref): ref is string => typeof ref === 'string' && ref.length > 0,
  );
  const presentation = useApi(entityPresentationApiRef);
  const catalogApi = useApi(catalogApiRef);

  const { value: names } = useAsync(async () => {
    const title = async (ref: string) =>
      (await presentation.forEntity(ref).promise).primaryTitle;
    const named = await Promise.all(
      refs.map(async ref => {
        if (
          parseEntityRef(ref).kind.toLocaleLowerCase('en-US') !== 'outputport'
        ) {
          return title(ref);
        }
        const port = await catalogApi.getEntityByRef(ref);
        const product = (port?.spec as { dataProduct?: string } | undefined)
          ?.dataProduct;
        const portTitle = await title(ref);
        return product
          ? `${portTitle} (${await title(
              stringifyEntityRef(
                parseEntityRef(product, {
                  defaultKind: 'dataproduct',
                  defaultNamespace: parseEntityRef(ref).namespace,
                }),
              ),
            )})`
          : portTitle;
      }),
    );
    return named.join(', ');
  }, [presentation, catalogApi, refs.join(',')]);

  // What the presentation knows at once, so a page left quickly still has
  // names for the review; the catalog's answer replaces it when it comes.
  const shown =
    names ??
    refs
      .map(ref => presentation.forEntity(ref).snapshot.primaryTitle)
      .join(', ');

  useEffect(() => {
    if (shown !== (formData ?? '')) {
      onChange(shown || undefined);
    }
  }, [shown, formData, onChange]);

  return null;
};
