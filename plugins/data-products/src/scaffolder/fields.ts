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

/** The compose form's input picker: ports with their product, owner and description. */
const outputPortInputsPickerField = FormFieldBlueprint.make({
  name: 'output-port-inputs-picker',
  params: {
    field: () =>
      import('./OutputPortInputsPicker').then(m =>
        createFormField({
          name: 'OutputPortInputsPicker',
          component: m.OutputPortInputsPicker,
        }),
      ),
  },
});

/** The declared columns, with "Fill the contract from the SQL". */
const contractColumnsEditorField = FormFieldBlueprint.make({
  name: 'contract-columns-editor',
  params: {
    field: () =>
      import('./ContractColumnsEditor').then(m =>
        createFormField({
          name: 'ContractColumnsEditor',
          component: m.ContractColumnsEditor,
        }),
      ),
  },
});

/** The display names of the entities another field refers to, for the Review step. */
const entityNamesForReviewField = FormFieldBlueprint.make({
  name: 'entity-names-for-review',
  params: {
    field: () =>
      import('./EntityNamesForReview').then(m =>
        createFormField({
          name: 'EntityNamesForReview',
          component: m.EntityNamesForReview,
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
  outputPortInputsPickerField,
  contractColumnsEditorField,
  entityNamesForReviewField,
  dataProductPlanDiffField,
] as unknown as ExtensionDefinition[];
