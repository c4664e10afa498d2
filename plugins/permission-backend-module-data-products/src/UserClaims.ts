import type {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_CHILD_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

const isGroupRef = (ref: string) => parseEntityRef(ref).kind === 'group';

/**
 * A user's claims: the ownership refs of the user's sign-in (the user and its
 * groups) and every parent group of those groups, followed up the catalog's
 * `childOf` relations. A member of `group:default/sales` whose parent is
 * `group:default/commercial` claims both.
 */
export class UserClaims {
  constructor(
    private readonly options: {
      userInfo: Pick<UserInfoService, 'getUserInfo'>;
      catalog: Pick<CatalogService, 'getEntitiesByRefs'>;
      auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    },
  ) {}

  /** The claims of a signed-in user, as lower-cased full entity refs. */
  async forUser(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<string[]> {
    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      credentials,
    );
    const claims = new Set(
      ownershipEntityRefs.map(ref =>
        stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US'),
      ),
    );
    let groups = [...claims].filter(isGroupRef);
    const catalogCredentials =
      await this.options.auth.getOwnServiceCredentials();
    while (groups.length > 0) {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: groups, fields: ['relations'] },
        { credentials: catalogCredentials },
      );
      const parents = items
        .flatMap(group => group?.relations ?? [])
        .filter(relation => relation.type === RELATION_CHILD_OF)
        .map(relation => relation.targetRef.toLocaleLowerCase('en-US'))
        .filter(parent => !claims.has(parent));
      parents.forEach(parent => claims.add(parent));
      groups = [...new Set(parents)];
    }
    return [...claims];
  }
}
