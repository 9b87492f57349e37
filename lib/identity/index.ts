export * from "./values";
export * from "./domain";
export * from "./email-pattern";
export * from "./service";
