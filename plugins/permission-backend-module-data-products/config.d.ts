export interface Config {
  dataProducts?: {
    permissions?: {
      /**
       * Groups whose members manage every data product (update, refresh,
       * decommission, approve and revoke access, preview), as entity refs:
       * `group:default/data-platform`, or `data-platform` for a group in the
       * default namespace. None when unset.
       */
      adminGroups?: string[];
    };
  };
}
