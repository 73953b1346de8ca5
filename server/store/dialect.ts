/** Which database a store speaks. Everything above the store is written once for both. */
export type StoreDialect = 'sqlite' | 'postgres';
