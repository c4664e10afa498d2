import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/**
 * An ODCS v3.1.0 contract as the portal exports one: a source-aligned
 * product exposing the CRM's customers table, with its constraints, quality
 * rules and refresh policy.
 */
export const exampleContract = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'outputport:default/sales-crm-contacts-contacts',
  name: 'contacts',
  version: '1.0.0',
  status: 'active',
  domain: 'sales',
  dataProduct: 'sales-crm-contacts',
  description: { purpose: 'Who to contact at each customer.' },
  schema: [
    {
      name: 'contacts',
      physicalName: 'contacts',
      physicalType: 'table',
      logicalType: 'object',
      description: 'One row per customer with an email address.',
      properties: [
        {
          name: 'id',
          physicalType: 'INTEGER',
          logicalType: 'integer',
          description: 'The customer.',
          required: true,
          unique: true,
          primaryKey: true,
          primaryKeyPosition: 1,
        },
        {
          name: 'email',
          physicalType: 'VARCHAR(100)',
          logicalType: 'string',
          classification: 'pii',
          quality: [
            {
              metric: 'nullValues',
              dimension: 'completeness',
              unit: 'percent',
              mustBeLessThan: 10,
              severity: 'warning',
            },
          ],
        },
      ],
      quality: [
        {
          name: 'not_empty',
          metric: 'rowCount',
          dimension: 'completeness',
          mustBeGreaterThan: 0,
        },
      ],
      customProperties: [
        { property: 'sourceTable', value: 'sources.crm_customers' },
        { property: 'access', value: 'restricted' },
      ],
    },
  ],
  team: { name: 'sales' },
  slaProperties: [
    { property: 'frequency', value: 1, unit: 'd', element: 'contacts' },
    { property: 'latency', value: 2, unit: 'd', element: 'contacts' },
  ],
  servers: [
    {
      server: 'warehouse',
      type: 'postgres',
      host: 'warehouse.example.com',
      port: 5432,
      database: 'dataproducts_warehouse',
      schema: 'sales_crm_contacts',
    },
  ],
  customProperties: [
    { property: 'dataProductTitle', value: 'Sales CRM Contacts' },
    { property: 'dataProductType', value: 'source-aligned' },
    { property: 'dataProductInputs', value: ['resource:crm-customers'] },
  ],
};

/** The same contract as another tool may write it: no team, no server. */
const { team, servers, ...withoutOwnerOrServer } = exampleContract;

/** The examples the template editor shows for `dataproduct:contract:import`. */
export const examples: TemplateExample[] = [
  {
    description:
      'Read a pasted ODCS v3.1.0 contract into the product and port definitions that dataproduct:provision and dataproduct:register take',
    example: yaml.stringify({
      steps: [
        {
          id: 'import',
          name: 'Read the data contract',
          action: 'dataproduct:contract:import',
          input: { contract: yaml.stringify(exampleContract) },
        },
      ],
    }),
  },
  {
    description:
      'Give the owner and the schema that a contract from another tool does not name',
    example: yaml.stringify({
      steps: [
        {
          id: 'import',
          name: 'Read the data contract',
          action: 'dataproduct:contract:import',
          input: {
            contract: yaml.stringify(withoutOwnerOrServer),
            owner: 'group:default/sales',
            schema: 'sales_crm_contacts',
          },
        },
      ],
    }),
  },
];
