import type { ExtensionDefinition } from '@backstage/frontend-plugin-api';
import {
  FormFieldBlueprint,
  createFormField,
} from '@backstage/plugin-scaffolder-react/alpha';

/** The output port's columns, filled in from the selected source table. */
const sourceTableColumnsPickerField = FormFieldBlueprint.make({
  name: 'source-table-columns-picker',
  params: {
    field: () =>
      import('./SourceTableColumnsPicker').then(m =>
        createFormField({
          name: 'SourceTableColumnsPicker',
          component: m.SourceTableColumnsPicker,
        }),
      ),
  },
});

/** The product's schema name, suggested from its domain and source system. */
const dataProductSchemaPickerField = FormFieldBlueprint.make({
  name: 'data-product-schema-picker',
  params: {
    field: () =>
      import('./DataProductSchemaPicker').then(m =>
        createFormField({
          name: 'DataProductSchemaPicker',
          component: m.DataProductSchemaPicker,
        }),
      ),
  },
});

/** A code field for model SQL with source() references of the inputs. */
const modelSqlEditorField = FormFieldBlueprint.make({
  name: 'model-sql-editor',
  params: {
    field: () =>
      import('./ModelSqlEditor').then(m =>
        createFormField({
          name: 'ModelSqlEditor',
          component: m.ModelSqlEditor,
        }),
      ),
  },
});

/** The plan's diff before applying: ports and columns changed, breaking or not, consumers affected. */
const dataProductPlanDiffField = FormFieldBlueprint.make({
  name: 'data-product-plan-diff',
  params: {
    field: () =>
      import('./PlanDiffField').then(m =>
        createFormField({
          name: 'DataProductPlanDiff',
          component: m.PlanDiffField,
          validation: m.validatePlanDiff,
        }),
      ),
  },
});

/**
 * Every scaffolder field extension of the data products plugin, to list in
 * the plugin's extensions. `@backstage/plugin-scaffolder-react` is built on
 * `@backstage/frontend-plugin-api` 1.x while this package is on 0.18; both
 * produce the same (v1) extension definitions, so only the type is bridged.
 */
export const dataProductFormFields = [
  sourceTableColumnsPickerField,
  dataProductSchemaPickerField,
  modelSqlEditorField,
  dataProductPlanDiffField,
] as unknown as ExtensionDefinition[];
