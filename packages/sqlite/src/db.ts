import type Database from "better-sqlite3";

/** The better-sqlite3 connection every verb module is built from. */
export type Db = Database.Database;
