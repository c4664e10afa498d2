import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { fromOdcsContract } from '@dataproducts/plugin-data-products-common';
import {
  MAX_CONTRACT_BYTES,
  parseOdcsYaml,
} from '@dataproducts/plugin-data-products-node';
import { examples } from './contractImport.examples';
import type { EntityInput } from './schemas';

type ImportOutput = {
  product: EntityInput;
  ports: EntityInput[];
  ignored: string[];
};

/**
 * Reads a contract from a URL through Backstage's URL reader (so that
 * `backend.reading.allow` and the integrations decide which hosts may be
 * read), stopping at `maxBytes`.
 */
async function readContractUrl(
  urlReader: UrlReaderService,
  url: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<string> {
  const response = await urlReader.readUrl(url, { signal });
  const tooLarge = () =>
    new InputError(
      `The data contract at ${url} is more than the ${maxBytes} bytes the portal reads: give a smaller contract (one output port per contract)`,
    );
  if (!response.stream) {
    const buffer = await response.buffer();
    if (buffer.length > maxBytes) throw tooLarge();
    return buffer.toString('utf8');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = response.stream();
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Creates the `dataproduct:contract:import` action: reads an ODCS v3.1.0 data
 * contract (pasted YAML, or a URL read through the URL reader), validates it
 * against our ODCS schema and outputs the data product and output port it
 * defines, as `dataproduct:provision` and `dataproduct:register` take them.
 * It changes nothing itself.
 */
export function createContractImportAction(options: {
  urlReader: UrlReaderService;
  maxBytes?: number;
}): TemplateAction<
  {
    contract?: string;
    url?: string;
    owner?: string;
    schema?: string;
    model?: string;
  },
  ImportOutput,
  'v2'
> {
  const { urlReader } = options;
  const maxBytes = options.maxBytes ?? MAX_CONTRACT_BYTES;
  return createTemplateAction({
    id: 'dataproduct:contract:import',
    description:
      'Reads an ODCS v3.1.0 data contract (YAML text or a URL) and outputs the data product and output port it defines, for dataproduct:provision and dataproduct:register.',
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        contract: z =>
          z
            .string()
            .optional()
            .describe('The contract as YAML text (give this or url)'),
        url: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to read the contract (give this or contract); the host must be allowed by backend.reading.allow or an integration',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe("The owner when the contract's team names none"),
        schema: z =>
          z
            .string()
            .optional()
            .describe(
              "The product's PostgreSQL schema when no postgres server in the contract names one",
            ),
        model: z =>
          z
            .string()
            .optional()
            .describe(
              'The model SQL when the contract carries neither a model nor a source table',
            ),
      },
      output: {
        product: z =>
          z
            .object({ metadata: z.object({ name: z.string() }).passthrough() })
            .passthrough()
            .describe('The DataProduct entity the contract defines'),
        ports: z =>
          z
            .array(
              z
                .object({
                  metadata: z.object({ name: z.string() }).passthrough(),
                })
                .passthrough(),
            )
            .describe('Its OutputPort entity, in a list'),
        ignored: z =>
          z
            .array(z.string())
            .describe('What the contract says that the portal does not take'),
      },
    },
    async handler(ctx) {
      const { contract, url } = ctx.input;
      const given = [contract, url].filter(v => v !== undefined && v !== '');
      if (given.length !== 1) {
        throw new InputError(
          'dataproduct:contract:import needs the contract as YAML text (contract) or its URL (url), one of them',
        );
      }
      const text = url
        ? await readContractUrl(urlReader, url, maxBytes, ctx.signal)
        : contract!;
      const doc = parseOdcsYaml(text, {
        maxBytes,
        source: url ? `The data contract at ${url}` : 'The data contract',
      });
      const { product, port, ignored } = fromOdcsContract(doc, {
        owner: ctx.input.owner || undefined,
        schema: ctx.input.schema || undefined,
        model: ctx.input.model || undefined,
      });
      ctx.logger.info(
        `The contract defines data product ${product.metadata.name} (schema ${product.spec.schema}) with output port ${port.spec.name} (${port.spec.columns.length} columns)`,
      );
      for (const note of ignored) {
        ctx.logger.info(`Not imported: ${note}`);
      }
      // Entities are plain JSON: the same objects as the next steps' inputs.
      ctx.output('product', product as unknown as EntityInput);
      ctx.output('ports', [port as unknown as EntityInput]);
      ctx.output('ignored', ignored);
    },
  });
}
