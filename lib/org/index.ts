export * from "./orgs";
export * from "./members";
export * from "./invites";
export * from "./overview";
