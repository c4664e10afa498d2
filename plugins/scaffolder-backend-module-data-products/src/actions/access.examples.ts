import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Marketing Customer 360 reading the customers port of Sales CRM Customers. */
const customersForMarketing = {
  product: 'dataproduct:default/sales-crm-customers',
  port: 'customers',
  consumer: 'dataproduct:default/marketing-customer-360',
};

/** The examples the template editor shows for `dataproduct:grant`. */
export const grantExamples: TemplateExample[] = [
  {
    description: 'Let a consumer data product read an output port',
    example: yaml.stringify({
      steps: [
        {
          id: 'grant',
          name: 'Grant read access',
          action: 'dataproduct:grant',
          input: customersForMarketing,
        },
      ],
    }),
  },
];

/** The examples the template editor shows for `dataproduct:revoke`. */
export const revokeExamples: TemplateExample[] = [
  {
    description: "Take a consumer data product's read access away",
    example: yaml.stringify({
      steps: [
        {
          id: 'revoke',
          name: 'Revoke read access',
          action: 'dataproduct:revoke',
          input: customersForMarketing,
        },
      ],
    }),
  },
];
