import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** The examples the template editor shows for `dataproduct:refresh`. */
export const examples: TemplateExample[] = [
  {
    description: 'Rebuild one output port from its model',
    example: yaml.stringify({
      steps: [
        {
          id: 'refresh',
          name: 'Refresh customer_activity',
          action: 'dataproduct:refresh',
          input: {
            product: 'dataproduct:default/marketing-customer-360',
            port: 'customer_activity',
          },
        },
      ],
    }),
  },
  {
    description: 'Rebuild every table port of a data product',
    example: yaml.stringify({
      steps: [
        {
          id: 'refresh',
          name: 'Refresh Sales CRM Customers',
          action: 'dataproduct:refresh',
          input: { product: 'sales-crm-customers' },
        },
      ],
    }),
  },
];
