export interface Config {
  auth?: {
    providers?: {
      /**
       * The development sign-in (packages/backend/src/modules/demoUserSignIn.ts).
       */
      demoUsers?: {
        /**
         * The users the sign-in page offers, e.g. `user:default/ana.sales`.
         * Shown before sign-in, so the frontend sees them.
         * @visibility frontend
         */
        users?: string[];
      } | null;
    };
  };
}
