import type {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  dataProductPreviewPermission,
  isDataProductEntity,
  type PortConnection,
  type PortPreview,
  type PortReadingRole,
  type PortSizeInfo,
} from '@dataproducts/plugin-data-products-common';
import type { WarehouseService } from '@dataproducts/plugin-data-products-node';
import { AccessCatalog, type AccessPort } from '../access/AccessCatalog';

/** The warehouse server as consumers reach it: never a user or a password. */
export interface ConsumerServer {
  host: string;
  /** Defaults to 5432. */
  port?: number;
  database: string;
}

/** A name as SQL needs it: bare when it is a plain lower-case identifier, quoted otherwise. */
function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name)
    ? name
    : `"${name.replace(/"/g, '""')}"`;
}

/** A value inside a libpq connection string: quoted when it holds spaces or quotes. */
function libpqValue(value: string): string {
  return /^[A-Za-z0-9_.\-:]+$/.test(value)
    ? value
    : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** True for the columns whose contract classification is `pii` (any case). */
function isPii(column: { classification?: string }): boolean {
  return column.classification?.trim().toLocaleLowerCase('en-US') === 'pii';
}

/**
 * What a data consumer needs on an output port's page: how to connect
 * (`connection`), the first rows (`preview`, for those the
 * `dataproduct.preview` permission allows and for members of a group that
 * reads the port), and the port's row count and size (`size`). Ports are
 * read from the catalog with the caller's credentials, so a port the caller
 * cannot see is not found.
 */
export class ConsumerService {
  readonly #catalog: AccessCatalog;
  readonly #entities: CatalogService;
  readonly #permissions: PermissionsService;
  readonly #warehouse: Pick<
    WarehouseService,
    'preview' | 'portSize' | 'readers'
  >;
  readonly #server: ConsumerServer;
  readonly #auditor?: AuditorService;

  constructor(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    warehouse: Pick<WarehouseService, 'preview' | 'portSize' | 'readers'>;
    server: ConsumerServer;
    auditor?: AuditorService;
  }) {
    this.#catalog = new AccessCatalog(options.catalog);
    this.#entities = options.catalog;
    this.#permissions = options.permissions;
    this.#warehouse = options.warehouse;
    this.#server = options.server;
    this.#auditor = options.auditor;
  }

  /**
   * The roles of the user's groups (direct `memberOf`) that read the port,
   * from `pg_auth_members`; none when the port is not provisioned.
   */
  async #readingRoles(
    port: AccessPort,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<PortReadingRole[]> {
    const groups = new Set(
      await this.#catalog.groupsOf(
        credentials.principal.userEntityRef,
        credentials,
      ),
    );
    if (groups.size === 0) {
      return [];
    }
    let readers;
    try {
      readers = await this.#warehouse.readers(port.productName, port.portName);
    } catch (error) {
      if (error instanceof NotFoundError) {
        return [];
      }
      throw error;
    }
    return readers
      .filter(reader => reader.group && groups.has(reader.group))
      .map(reader => ({ role: reader.role, group: reader.group! }));
  }

  async #schemaOf(
    port: AccessPort,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const product = await this.#entities.getEntityByRef(port.product, {
      credentials,
    });
    if (!product || !isDataProductEntity(product)) {
      throw new NotFoundError(
        `Output port ${port.ref} belongs to ${port.product}, which is not in the catalog`,
      );
    }
    return product.spec.schema;
  }

  /** How to connect to a port: server, psql, JDBC, SQL and `source()`, with the caller's reading roles. */
  async connection(
    ref: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<PortConnection> {
    const port = await this.#catalog.port(ref, credentials);
    const schema = await this.#schemaOf(port, credentials);
    const roles = await this.#readingRoles(port, credentials);
    const { host, database } = this.#server;
    const serverPort = this.#server.port ?? 5432;
    const columns = (port.entity.spec.columns ?? []).map(c => sqlName(c.name));
    const object = `${sqlName(schema)}.${sqlName(port.portName)}`;
    const sql = [
      roles.length > 0
        ? `SET ROLE ${sqlName(roles[0].role)};`
        : '-- Your groups cannot read this port yet: use Request access first.',
      `SELECT ${columns.length ? columns.join(', ') : '*'}`,
      `  FROM ${object}`,
      ' LIMIT 10;',
    ].join('\n');
    return {
      port: port.ref,
      host,
      serverPort,
      database,
      schema,
      relation: port.portName,
      access: port.entity.spec.access ?? 'restricted',
      roles,
      psql: `psql "host=${libpqValue(
        host,
      )} port=${serverPort} dbname=${libpqValue(
        database,
      )} user=<your database login>"`,
      jdbcUrl: `jdbc:postgresql://${
        host.includes(':') ? `[${host}]` : host
      }:${serverPort}/${encodeURIComponent(database)}`,
      sql,
      source: `{{ source('${port.productName}', '${port.portName}') }}`,
    };
  }

  /**
   * The first rows of a port. Allowed when the `dataproduct.preview`
   * permission allows it on the port's product (owners and admins under the
   * shipped policy), or when one of the caller's groups reads the port in
   * the warehouse (a granted access request): such a member can read every
   * row in SQL anyway. Otherwise a `NotAllowedError` naming the permission,
   * before anything is read. Columns classified `pii` and columns the
   * contract does not declare are never read.
   */
  async preview(
    ref: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<PortPreview> {
    const port = await this.#catalog.port(ref, credentials);
    const [decision] = await this.#permissions.authorize(
      [{ permission: dataProductPreviewPermission, resourceRef: port.product }],
      { credentials },
    );
    let allowedAs: PortPreview['allowedAs'] = 'permission';
    if (decision.result !== AuthorizeResult.ALLOW) {
      const roles = await this.#readingRoles(port, credentials);
      if (roles.length === 0) {
        await this.#audit(port, credentials, 'denied');
        throw new NotAllowedError(
          `You are not allowed to preview ${port.ref}: permission ${dataProductPreviewPermission.name} was denied on ${port.product}, and none of your groups can read the port. ` +
            `Ask for access with Request access on the port's page, or ask a member of ${port.owner}.`,
        );
      }
      allowedAs = 'reader';
    }
    const declared = port.entity.spec.columns ?? [];
    const pii = new Set(declared.filter(isPii).map(c => c.name));
    const rows = await this.#warehouse.preview(
      port.productName,
      port.portName,
      { reveal: declared.filter(c => !isPii(c)).map(c => c.name) },
    );
    await this.#audit(port, credentials, allowedAs);
    return {
      port: port.ref,
      object: rows.object,
      columns: rows.columns.map(({ name, type, masked }) => ({
        name,
        type,
        ...(masked ? { masked: pii.has(name) ? 'pii' : 'undeclared' } : {}),
      })),
      rows: rows.rows,
      limit: rows.limit,
      cut: rows.cut,
      allowedAs,
    };
  }

  /** How many rows a port holds and its size: for anyone who sees the port in the catalog. */
  async size(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<PortSizeInfo> {
    const port = await this.#catalog.port(ref, credentials);
    const size = await this.#warehouse.portSize(
      port.productName,
      port.portName,
    );
    return { port: port.ref, ...size };
  }

  async #audit(
    port: AccessPort,
    credentials: BackstageCredentials,
    outcome: 'permission' | 'reader' | 'denied',
  ): Promise<void> {
    const event = await this.#auditor?.createEvent({
      eventId: 'preview',
      severityLevel: 'low',
      meta: {
        actor: (credentials.principal as BackstageUserPrincipal).userEntityRef,
        port: port.ref,
        product: port.product,
        ...(outcome === 'denied' ? {} : { allowedAs: outcome }),
      },
    });
    if (outcome === 'denied') {
      await event?.fail({
        error: new NotAllowedError(
          `${dataProductPreviewPermission.name} was denied`,
        ),
      });
    } else {
      await event?.success();
    }
  }
}
